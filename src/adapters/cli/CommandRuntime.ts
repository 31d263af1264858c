import { randomUUID } from "node:crypto"
import { Effect } from "effect"
import type { AuthService } from "../../application/AuthService.js"
import type { GraphInspector } from "../../application/GraphInspector.js"
import type { CacheRefresh } from "../../application/CacheRefresh.js"
import type { Scaffolder } from "../../application/Scaffolder.js"
import type { ThreadService } from "../../application/ThreadService.js"
import type { WorkflowService } from "../../application/WorkflowService.js"
import * as AppLayer from "../AppLayer.js"
import { loadConfig } from "../config/ConfigLoader.js"
import * as TtyTerminal from "../terminal/TtyTerminal.js"
import { ExitCode } from "./ExitCodes.js"
import * as Logging from "../logging/Logging.js"
import { type CommandError, type OutputMode, printDiagnostics, printJson, reportError } from "./Output.js"
import type { Globals } from "./Spec.js"

const setExitCode = (code: number) => Effect.sync(() => void (process.exitCode = code))

/** Reports an unexpected crash without a stack trace (set AGENTMAP_DEBUG=1 to see it). */
const reportDefect = (mode: OutputMode, defect: unknown) =>
  Effect.sync(() => {
    const text = defect instanceof Error ? defect.message : String(defect)
    const message = text.trim() !== "" ? text : `${defect instanceof Error ? defect.name : "unexpected"} failure with no message (AGENTMAP_DEBUG=1 shows the stack)`
    if (process.env["AGENTMAP_DEBUG"] !== undefined && defect instanceof Error) process.stderr.write(`${defect.stack}\n`)
    if (mode.json) printJson(mode, { error: "InternalError", message })
    else process.stderr.write(`internal error: ${message}\n`)
    return ExitCode.Failed
  })

/** Runs a command body that needs no application (init): errors and defects become exit codes. */
export const runStandalone = (mode: OutputMode, body: Effect.Effect<number, CommandError>) =>
  body.pipe(
    Effect.catchAll((e) => Effect.sync(() => reportError(mode, e))),
    Effect.catchAllDefect((d) => reportDefect(mode, d)),
    Effect.flatMap(setExitCode)
  )

/** Loads configuration, builds the application and runs a command body on it. */
export const runWithApp = (
  globals: Globals,
  mode: OutputMode,
  body: Effect.Effect<number, CommandError, WorkflowService | ThreadService | AuthService | Scaffolder | GraphInspector | CacheRefresh>
) =>
  runStandalone(
    mode,
    Effect.gen(function* () {
      const cwd = process.cwd()
      const { config, diagnostics } = yield* loadConfig({ explicit: globals.config, env: process.env, cwd })
      printDiagnostics(diagnostics)
      return yield* body.pipe(
        // one correlation id per command: every line of the command (and of its run) carries it
        Effect.annotateLogs({ correlation_id: randomUUID() }),
        Effect.provide(AppLayer.layer({ config, cwd, terminal: TtyTerminal.layer })),
        Effect.provide(Logging.layerFor(config, "cli", globals.logLevel))
      )
    })
  )
