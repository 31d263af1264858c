import * as path from "node:path"
import { Effect } from "effect"
import { type ScaffoldEntry, type ScaffoldReport, Scaffolder } from "../../../application/Scaffolder.js"
import { runWithApp } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { type OutputMode, printJson } from "../Output.js"
import { table } from "../PrettyResult.js"
import { command, flag, text } from "../Spec.js"
import { pickWorkflow, WORKFLOW_ARG } from "./RunCommand.js"
import { jsonOption, prettyOption } from "./SharedOptions.js"

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

const usedBy = (e: ScaffoldEntry) => e.used_by.map((u) => `${u.graph}/${u.node} (line ${u.line})`).join(", ")

const written = (e: ScaffoldEntry) => e.status !== "skipped"

const printReport = (mode: OutputMode, report: ScaffoldReport) => {
  const made = report.entries.filter(written).length
  const skipped = report.entries.length - made
  if (mode.json) {
    printJson(mode, { ...report, created: made, skipped })
    return
  }
  if (report.entries.length === 0) {
    process.stdout.write(`Nothing to scaffold: ${report.workflow} (${report.graphs.join(", ")}) uses only built-in agent types, and no routing functions or tools\n`)
    return
  }
  const rows = report.entries.map((e) => [e.kind, e.name, e.status, e.file === "" ? "-" : e.file, e.reason ?? usedBy(e)])
  process.stdout.write(`${table(["kind", "name", "status", "file", "used by / reason"], rows)}\n`)
  process.stdout.write(
    report.dry_run
      ? `Dry run: would write ${plural(made, "stub")}, ${skipped} skipped; nothing was written\n`
      : `${made === 0 ? "Nothing created" : `Created ${plural(made, "stub")}`}, ${skipped} skipped (${report.workflow})${made > 0 ? "; each returns a labelled placeholder until you fill it in" : ""}\n`
  )
}

export const scaffoldCommand = command({
  name: "scaffold",
  summary: "Write typed stubs for the custom agents, routing functions and tools a workflow uses but nobody wrote yet",
  details: [
    "For every agent type that is neither built in nor present in the custom agents folder (a module there, or a key of agents: in its custom_agents.yaml), every func:NAME without a module in the functions folder, and every tool named in Available_Tools that its Tool_Source module lacks, writes a stub: a doc comment listing each CSV row that uses it (graph, node, line, inputs, output fields, prompt, context keys, neighbours) and a body that runs as written and returns a value labelled '[scaffold placeholder]', so validate passes and run works straight away.",
    "Custom agents: <type>.ts in --output, export default defineAgent({ description, run: (ctx) => ... }); several Output_Fields (a|b) get an object with those keys. Routing functions: <name>.ts in --functions with the signature (state, successTarget, failureTarget), following the node's outcome until written. Tools: defineTool({ name, description, schema, run }) appended to the module Tool_Source names (an upstream .py reference becomes the .ts of the same base name in paths.custom_tools); whether a module has a tool is found by scanning its text for name: \"tool\" or export const tool.",
    "Never overwrites a file without --overwrite (which replaces TypeScript stub files of agents and functions; tool modules are only ever appended to). Scaffolding twice writes nothing the second time."
  ],
  args: [WORKFLOW_ARG],
  options: {
    csv: text({ placeholder: "FILE", description: "the CSV file (the same as WORKFLOW)" }),
    graph: text({ short: "g", placeholder: "GRAPH", description: "scaffold only what this graph uses", default: "every graph of the file" }),
    output: text({ short: "o", placeholder: "DIR", description: "where custom agent stubs go", default: "paths.custom_agents; unless configured, custom_agents beside the config file" }),
    functions: text({ placeholder: "DIR", description: "where routing function stubs go", default: "paths.functions" }),
    overwrite: flag({ description: "replace existing agent and function stub files" }),
    dryRun: flag({ description: "print what would be written, write nothing" }),
    json: jsonOption,
    pretty: prettyOption
  },
  examples: ["agentmap scaffold workflows/flow.csv", "agentmap scaffold --csv flow.csv --output ./agents/ --dry-run", "agentmap scaffold sales::Qualify --json"],
  exitCodes: "0 done (also when nothing was needed), 2 invalid input (flags, a CSV with no graph, a file that cannot be written), 3 workflow or graph not found",
  run: ({ options: o, args, globals }) => {
    const mode: OutputMode = { json: o.json, indent: o.pretty }
    const cwd = process.cwd()
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        const scaffolder = yield* Scaffolder
        const workflow = yield* pickWorkflow(args[0], o.csv, "scaffold")
        const report = yield* scaffolder.scaffold({
          workflow,
          ...(o.graph !== undefined ? { graph: o.graph } : {}),
          ...(o.output !== undefined ? { output: path.resolve(cwd, o.output) } : {}),
          ...(o.functions !== undefined ? { functions: path.resolve(cwd, o.functions) } : {}),
          overwrite: o.overwrite,
          dryRun: o.dryRun
        })
        printReport(mode, report)
        return ExitCode.Ok
      })
    )
  }
})
