import { Effect } from "effect"
import { AuthService } from "../../../application/AuthService.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import { runWithApp } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { type OutputMode, printJson } from "../Output.js"
import { table } from "../PrettyResult.js"
import { command, group, text } from "../Spec.js"
import { jsonOption } from "./SharedOptions.js"

const generate = command({
  name: "generate-key",
  summary: "Create an API key and print it once (only its hash is stored)",
  args: [],
  options: {
    name: text({ placeholder: "NAME", description: "a unique name for the key: who or what uses it", example: "--name ci" }),
    permissions: text({ placeholder: "LIST", description: "comma-separated permissions: read, execute, admin", default: "read,execute", example: "--permissions read,execute,admin" }),
    json: jsonOption
  },
  examples: ["agentmap auth generate-key --name ci", "agentmap auth generate-key --name ops --permissions read,execute,admin --json"],
  exitCodes: "0 created, 2 the name is in use",
  run: ({ options: o, globals }) => {
    const mode: OutputMode = { json: o.json, indent: false }
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        const auth = yield* AuthService
        if (o.name === undefined) return yield* Effect.fail(new InvalidRequest({ message: "missing --name NAME: name the key after who or what uses it, e.g. --name ci" }))
        const requested = (o.permissions ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "")
        const created = yield* auth.generateKey(o.name, requested)
        if (mode.json) printJson(mode, { name: created.name, key: created.key, permissions: created.permissions })
        else
          process.stdout.write(
            `created API key '${created.name}' (${created.permissions.join(", ")}):\n\n  ${created.key}\n\nIt is shown only this once; only its hash is stored. Send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'.\n`
          )
        return ExitCode.Ok
      })
    )
  }
})

const list = command({
  name: "list-keys",
  summary: "List API keys (never the keys themselves)",
  args: [],
  options: { json: jsonOption },
  run: ({ options: o, globals }) => {
    const mode: OutputMode = { json: o.json, indent: false }
    return runWithApp(
      globals,
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
  }
})

const revoke = command({
  name: "revoke-key",
  summary: "Revoke an API key by its name or by the key itself: every server refuses it from the next request on",
  args: [{ name: "NAME_OR_KEY", description: "the key's name, or the key (agm_…)" }],
  options: { json: jsonOption },
  exitCodes: "0 revoked, 3 unknown key",
  run: ({ options: o, args, globals }) => {
    const mode: OutputMode = { json: o.json, indent: false }
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        const revoked = yield* (yield* AuthService).revokeKey(args[0]!)
        if (mode.json) printJson(mode, { revoked })
        else process.stdout.write(`revoked API key '${revoked.name}': every server refuses it from the next request on\n`)
        return ExitCode.Ok
      })
    )
  }
})

export const authCommand = group({
  name: "auth",
  summary: "Manage API keys for the HTTP server",
  commands: [generate, list, revoke],
  examples: ["agentmap auth generate-key --name ci", "agentmap auth list-keys", "agentmap auth revoke-key ci"]
})
