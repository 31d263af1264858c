import { Effect } from "effect"
import { InvalidRequest, InvalidWorkflow } from "../../../domain/Errors.js"
import { isJsonObject } from "../../../domain/Json.js"
import { CacheRefresh } from "../../../application/CacheRefresh.js"
import { WorkflowService } from "../../../application/WorkflowService.js"
import { runWithApp } from "../CommandRuntime.js"
import { type OutputMode, printDiagnostics } from "../Output.js"
import { printResult } from "../PrettyResult.js"
import { command, flag, text } from "../Spec.js"
import { jsonOption, prettyOption, RESULT_EXIT_CODES } from "./SharedOptions.js"

export const WORKFLOW_ARG = {
  name: "WORKFLOW",
  description: "a CSV file (a path ending in .csv), or a workflow of the repository (paths.csv_repository): name, name::Graph or name/Graph",
  optional: true
} as const

export const decodeState = (raw: string | undefined) =>
  raw === undefined
    ? Effect.succeed({})
    : Effect.try({
        try: () => JSON.parse(raw) as unknown,
        catch: (e) => new InvalidRequest({ message: `--state is not valid JSON: ${e instanceof Error ? e.message : String(e)}` })
      }).pipe(
        Effect.filterOrFail(isJsonObject, (v) => new InvalidRequest({ message: `--state must be a JSON object, got ${Array.isArray(v) ? "a list" : typeof v}` }))
      )

/** The workflow named by the positional argument or by --csv (the Python AgentMap's form), not both. */
export const pickWorkflow = (positional: string | undefined, flagged: string | undefined, command = "run") =>
  positional === undefined && flagged === undefined
    ? Effect.fail(new InvalidRequest({ message: `missing WORKFLOW: give a CSV file or a repository workflow name, e.g. agentmap ${command} workflows/hello_world.csv` }))
    : positional !== undefined && flagged !== undefined && positional !== flagged
    ? Effect.fail(new InvalidRequest({ message: `two workflows given: '${positional}' and --csv '${flagged}'` }))
    : Effect.succeed((positional ?? flagged)!)

const options = {
  graph: text({ short: "g", placeholder: "GRAPH", description: "the graph to run", default: "the file's only graph, or its first with a warning" }),
  state: text({ short: "s", placeholder: "JSON", description: "the initial state, a JSON object", default: "{}", example: `--state '{"name": "Ada"}'` }),
  threadId: text({ placeholder: "ID", description: "the thread id to run under: a new one, or that of this same run (workflow, graph, state) whose process died, which it then finishes; resume it later by this id", default: "a new UUID" }),
  csv: text({ placeholder: "FILE", description: "the CSV file (the same as WORKFLOW)" }),
  validateCsv: flag({ description: "validate every graph of the file before running; any error stops the run (exit 2)" }),
  validate: flag({ description: "same as --validate-csv", hidden: true }),
  forceCreate: flag({ description: "rebuild the compile cache entries of the workflow's routing functions, custom agents and tools before running (as agentmap refresh, even entries that are current)" }),
  json: jsonOption,
  pretty: prettyOption
}

export const runCommand = command({
  name: "run",
  summary: "Run a workflow graph and print its result document",
  args: [WORKFLOW_ARG],
  options,
  examples: [
    `agentmap run workflows/hello_world.csv --state '{"name": "Ada"}'`,
    "agentmap run branching::Triage --json",
    "agentmap run --csv flow.csv --graph Main --validate-csv"
  ],
  exitCodes: RESULT_EXIT_CODES,
  run: ({ options: o, args, globals }) => {
    const mode: OutputMode = { json: o.json, indent: o.pretty }
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        const service = yield* WorkflowService
        const address = yield* pickWorkflow(args[0], o.csv)
        const initial = yield* decodeState(o.state)
        // compile problems surface as the run's own diagnostics just below
        if (o.forceCreate) yield* Effect.flatMap(CacheRefresh, (c) => c.refresh({ workflow: address, dryRun: false, force: true }))
        if (o.validateCsv || o.validate) {
          const report = yield* service.validate({ workflow: address })
          if (!report.valid)
            return yield* Effect.fail(
              new InvalidWorkflow({ file: report.file, diagnostics: report.diagnostics, message: `'${report.file}' has errors (--validate-csv); the workflow did not start` })
            )
        }
        const { result, warnings } = yield* service.execute({
          workflow: address,
          ...(o.graph !== undefined ? { graph: o.graph } : {}),
          ...(o.threadId !== undefined ? { thread_id: o.threadId } : {}),
          state: initial
        })
        printDiagnostics(warnings)
        return printResult(mode, result)
      })
    )
  }
})
