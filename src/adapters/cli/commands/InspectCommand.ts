import { Effect } from "effect"
import { GraphInspector, type Inspection } from "../../../application/GraphInspector.js"
import { toJson as diagnosticJson } from "../../../domain/Diagnostic.js"
import { GRAPH_FORMATS, toDot, toJson, toListing, toMermaid } from "../../../domain/GraphText.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import { runWithApp } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { type OutputMode, printDiagnostics, printJson } from "../Output.js"
import { choice, command, flag, text } from "../Spec.js"
import { jsonOption, prettyOption } from "./SharedOptions.js"

/** The JSON document of `inspect --json` / `--format json`: validity and findings, then the graph. */
export const inspectionJson = (i: Inspection) => ({ valid: i.valid, file: i.file, diagnostics: i.diagnostics.map(diagnosticJson), ...toJson(i.view) })

const errorCount = (i: Inspection) => i.diagnostics.filter((d) => d.severity === "error").length

/** On stderr, so stdout stays the drawing: an invalid workflow is drawn as written, and says so. */
const warnInvalid = (i: Inspection) => {
  if (i.valid) return
  printDiagnostics(i.diagnostics.filter((d) => d.severity === "error"))
  process.stderr.write(`⚠ ${i.file} has ${errorCount(i)} error(s): drawn from its rows as written; a run would be refused (agentmap validate ${i.file})\n`)
}

const printPretty = (i: Inspection) => {
  const v = i.view
  const out = [
    `Graph ${v.graph} (${i.file}): ${v.nodes.filter((n) => !n.missing).length} nodes, entry ${v.entry}, ends after ${v.terminal.join(", ") || "no node (a routing function or a cycle decides)"}`,
    ...v.fanOut.map((f) => `Parallel: ${f.node} → ${f.targets.join(" | ")}`),
    ...(v.joins.length > 0 ? [`Joins: ${v.joins.join(", ")} (run once, after every branch)`] : []),
    "",
    ...toListing(v).map((line) => `  ${line}`),
    "",
    "```mermaid",
    toMermaid(v).trimEnd(),
    "```"
  ]
  process.stdout.write(`${out.join("\n")}\n`)
}

export const inspectCommand = command({
  name: "inspect",
  summary: "Draw a graph: Mermaid flowchart, Graphviz DOT or JSON (nodes, edges, entry, terminal nodes, fan-out and joins)",
  details: [
    "Without --format: the nodes with their agent, inputs → outputs and where they go, then the Mermaid flowchart (fenced, to paste into Markdown). With --format the document alone is printed on stdout, ready to pipe (agentmap inspect flow --format dot | dot -Tsvg).",
    "Mermaid: nodes are labelled Node<br/>agent; edges success, failure, func:NAME; parallel fan-out edges are thick and labelled parallel, joins are hexagons, terminal nodes rounded, graph nodes subroutines. --expand draws the graphs that graph nodes run inside subgraph blocks.",
    "An invalid workflow is still drawn from its rows as written (a target no row defines is drawn as not defined); its errors go to stderr and into the JSON (valid: false). Only a file with no graph at all cannot be drawn (exit 2)."
  ],
  args: [{ name: "WORKFLOW", description: "a CSV file, or a workflow of the repository (name, name::Graph)" }],
  options: {
    graph: text({ short: "g", placeholder: "GRAPH", description: "the graph to draw", default: "the first graph of the file" }),
    format: choice(GRAPH_FORMATS, { description: "print only this document: mermaid, dot or json" }),
    expand: flag({ description: "draw the graphs that graph nodes run, nested (Mermaid subgraph blocks, DOT clusters, JSON subgraphs[].expanded)" }),
    json: jsonOption,
    pretty: prettyOption
  },
  examples: ["agentmap inspect workflows/fan_out.csv", "agentmap inspect subgraph --expand --format mermaid > subgraph.mmd", "agentmap inspect approval --format dot | dot -Tsvg > approval.svg", "agentmap inspect branching --json"],
  exitCodes: "0 drawn (an invalid workflow too: its errors go to stderr), 2 bad flags or no graph to draw, 3 workflow or graph not found",
  run: ({ options: o, args, globals }) => {
    const mode: OutputMode = { json: o.json || o.format === "json", indent: o.pretty }
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        const workflow = args[0]
        if (workflow === undefined) return yield* Effect.fail(new InvalidRequest({ message: "missing WORKFLOW: give a CSV file or a workflow name, e.g. agentmap inspect workflows/hello_world.csv" }))
        if (o.json && o.format !== undefined && o.format !== "json")
          return yield* Effect.fail(new InvalidRequest({ message: `--json prints the JSON document; it cannot be combined with --format ${o.format}: give one` }))
        const inspector = yield* GraphInspector
        const inspection = yield* inspector.inspect({ workflow, ...(o.graph !== undefined ? { graph: o.graph } : {}), expand: o.expand })
        if (mode.json) printJson(mode, inspectionJson(inspection))
        else {
          if (o.format === "mermaid") process.stdout.write(toMermaid(inspection.view))
          else if (o.format === "dot") process.stdout.write(toDot(inspection.view))
          else printPretty(inspection)
          warnInvalid(inspection)
        }
        return ExitCode.Ok
      })
    )
  }
})
