import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { Console, Effect } from "effect"
import { authCommand } from "./commands/AuthCommand.js"
import { initCommand, initConfigCommand } from "./commands/InitCommand.js"
import { resumeCommand } from "./commands/ResumeCommand.js"
import { runCommand } from "./commands/RunCommand.js"
import { serveCommand } from "./commands/ServeCommand.js"
import { threadsCommand } from "./commands/ThreadsCommand.js"
import { validateCommand } from "./commands/ValidateCommand.js"
import { ExitCode } from "./ExitCodes.js"
import { printJson } from "./Output.js"

const root = Command.make("agentmap").pipe(
  Command.withDescription("Define agent workflows as CSV files and run them anywhere"),
  Command.withSubcommands([runCommand, resumeCommand, validateCommand, threadsCommand, serveCommand, authCommand, initCommand, initConfigCommand])
)

const ANSI = /\x1b\[[0-9;]*m/g
const strip = (value: unknown) => (typeof value === "string" ? value.replace(ANSI, "") : value)

/** Help and usage text without colour codes when it is not going to a terminal (or NO_COLOR is set). */
const plainWhenPiped = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined
    ? effect
    : Console.consoleWith((console) =>
        Effect.withConsole(effect, {
          ...console,
          log: (...args) => console.log(...args.map(strip)),
          error: (...args) => console.error(...args.map(strip))
        })
      )

/** The `agentmap` command line. Usage errors exit 2 (the contract), not @effect/cli's 1. */
export const main = (argv: ReadonlyArray<string>, version: string): Promise<void> => {
  const cli = Command.run(root, { name: "agentmap", version })
  return Effect.runPromise(
    plainWhenPiped(cli(argv)).pipe(
      Effect.catchIf(ValidationError.isValidationError, (e) =>
        Effect.sync(() => {
          if (argv.includes("--json")) printJson({ json: true, indent: false }, { error: "UsageError", message: usageMessage(e) })
          process.exitCode = ExitCode.UserError
        })
      ),
      Effect.provide(NodeContext.layer)
    )
  )
}

const usageMessage = (e: ValidationError.ValidationError): string => {
  const doc = (e as { readonly error?: unknown }).error
  const text = JSON.stringify(doc ?? e._tag)
  const matches = [...text.matchAll(/"value":"([^"]*)"/g)].map((m) => m[1]).filter((s) => s !== undefined && s.trim() !== "")
  return matches.length > 0 ? matches.join("").trim() : e._tag
}
