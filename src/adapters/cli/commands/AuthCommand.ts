import { Args, Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { AuthService } from "../../../application/AuthService.js"
import { runWithApp } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { type OutputMode, printJson } from "../Output.js"
import { table } from "../PrettyResult.js"
import { configOption, jsonOption } from "./SharedOptions.js"

const generate = Command.make(
  "generate-key",
  {
    name: Options.text("name").pipe(Options.withDescription("a unique name for the key (who or what uses it)")),
    permissions: Options.text("permissions").pipe(Options.withDescription("comma-separated: read, execute, admin (default read,execute)"), Options.withDefault("")),
    config: configOption,
    json: jsonOption
  },
  (a) => {
    const mode: OutputMode = { json: a.json, indent: false }
    return runWithApp(
      a.config,
      mode,
      Effect.gen(function* () {
        const auth = yield* AuthService
        const requested = a.permissions.split(",").map((p) => p.trim()).filter((p) => p !== "")
        const created = yield* auth.generateKey(a.name, requested)
        if (mode.json) printJson(mode, { name: created.name, key: created.key, permissions: created.permissions })
        else
          process.stdout.write(
            `created API key '${created.name}' (${created.permissions.join(", ")}):\n\n  ${created.key}\n\nIt is shown only this once; only its hash is stored. Send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'.\n`
          )
        return ExitCode.Ok
      })
    )
  }
).pipe(Command.withDescription("Create an API key and print it once"))

const list = Command.make("list-keys", { config: configOption, json: jsonOption }, (a) => {
  const mode: OutputMode = { json: a.json, indent: false }
  return runWithApp(
    a.config,
    mode,
    Effect.gen(function* () {
      const keys = yield* (yield* AuthService).listKeys
      if (mode.json) printJson(mode, { keys })
      else if (keys.length === 0) process.stdout.write("no API keys (create one with: agentmap auth generate-key --name NAME)\n")
      else
        process.stdout.write(
          `${table(
            ["name", "prefix", "permissions", "created", "last used", "revoked"],
            keys.map((k) => [k.name, `${k.prefix}…`, k.permissions.join(","), k.created_at, k.last_used_at ?? "never", k.revoked_at ?? ""])
          )}\n`
        )
      return ExitCode.Ok
    })
  )
}).pipe(Command.withDescription("List API keys (never the keys themselves)"))

const revoke = Command.make("revoke-key", { key: Args.text({ name: "name-or-key" }), config: configOption, json: jsonOption }, (a) => {
  const mode: OutputMode = { json: a.json, indent: false }
  return runWithApp(
    a.config,
    mode,
    Effect.gen(function* () {
      const revoked = yield* (yield* AuthService).revokeKey(a.key)
      if (mode.json) printJson(mode, { revoked })
      else process.stdout.write(`revoked API key '${revoked.name}': every server refuses it from the next request on\n`)
      return ExitCode.Ok
    })
  )
}).pipe(Command.withDescription("Revoke an API key by name or by the key itself"))

export const authCommand = Command.make("auth").pipe(
  Command.withDescription("Manage API keys for the HTTP server"),
  Command.withSubcommands([generate, list, revoke])
)
