import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { InvalidRequest } from "../../../domain/Errors.js"
import { isJsonObject } from "../../../domain/Json.js"
import { WorkflowService } from "../../../application/WorkflowService.js"
import { runWithApp } from "../CommandRuntime.js"
import { type OutputMode, printDiagnostics } from "../Output.js"
import { printResult } from "../PrettyResult.js"
import { configOption, jsonOption, prettyOption } from "./SharedOptions.js"

const workflow = Args.text({ name: "workflow" }).pipe(
  Args.withDescription("a CSV file (path ending in .csv), or a repository workflow: name, name::Graph or name/Graph"),
  Args.optional
)
const graph = Options.text("graph").pipe(Options.withAlias("g"), Options.withDescription("the graph to run (default: the file's only or first graph)"), Options.optional)
const csv = Options.text("csv").pipe(Options.withDescription("the CSV file (same as the positional WORKFLOW)"), Options.optional)
const state = Options.text("state").pipe(Options.withAlias("s"), Options.withDescription("initial state as a JSON object"), Options.optional)
const threadId = Options.text("thread-id").pipe(Options.withDescription("choose the thread id (it must not exist yet)"), Options.optional)

export const decodeState = (text: Option.Option<string>) =>
  Option.match(text, {
    onNone: () => Effect.succeed({}),
    onSome: (raw) =>
      Effect.try({
        try: () => JSON.parse(raw) as unknown,
        catch: (e) => new InvalidRequest({ message: `--state is not valid JSON: ${e instanceof Error ? e.message : String(e)}` })
      }).pipe(
        Effect.filterOrFail(isJsonObject, (v) => new InvalidRequest({ message: `--state must be a JSON object, got ${Array.isArray(v) ? "a list" : typeof v}` }))
      )
  })

export const pickWorkflow = (positional: Option.Option<string>, flag: Option.Option<string>) =>
  Option.match(Option.orElse(positional, () => flag), {
    onNone: () => Effect.fail(new InvalidRequest({ message: "missing WORKFLOW: give a CSV file or a repository workflow name" })),
    onSome: (w) =>
      w.startsWith("-")
        ? Effect.fail(new InvalidRequest({ message: `unknown option '${w}' (see --help)` }))
        : Option.isSome(positional) && Option.isSome(flag) && positional.value !== flag.value
        ? Effect.fail(new InvalidRequest({ message: `two workflows given: '${positional.value}' and --csv '${flag.value}'` }))
        : Effect.succeed(w)
  })

export const runCommand = Command.make(
  "run",
  { workflow, csv, graph, state, threadId, config: configOption, json: jsonOption, pretty: prettyOption },
  (a) => {
    const mode: OutputMode = { json: a.json, indent: a.pretty }
    return runWithApp(
      a.config,
      mode,
      Effect.gen(function* () {
        const service = yield* WorkflowService
        const address = yield* pickWorkflow(a.workflow, a.csv)
        const initial = yield* decodeState(a.state)
        const { result, warnings } = yield* service.execute({
          workflow: address,
          ...(Option.isSome(a.graph) ? { graph: a.graph.value } : {}),
          ...(Option.isSome(a.threadId) ? { thread_id: a.threadId.value } : {}),
          state: initial
        })
        printDiagnostics(warnings)
        return printResult(mode, result)
      })
    )
  }
).pipe(Command.withDescription("Run a workflow graph and print its result document"))
