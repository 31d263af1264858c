import { normalizeAgentType } from "./AgentType.js"
import { type InputBinding, type OutputBinding, isValidFieldName, parseInputs, parseOutputs } from "./Bindings.js"
import type { Column } from "./Columns.js"
import { type Diagnostic, error, sortByPosition, warning } from "./Diagnostic.js"
import { analyzeGraph } from "./GraphAnalysis.js"
import { type Routing, functionName, splitTargets } from "./Routing.js"
import { subgraphRef } from "./Subgraph.js"
import { didYouMean } from "./Suggest.js"
import type { GraphSpec, NodeSpec, WorkflowFile } from "./Workflow.js"
import { nodeAt } from "./Workflow.js"
import { type ParsedCsv, type WorkflowRow, cellColumn, cellValue } from "./WorkflowRow.js"

export interface Validated {
  readonly workflow: WorkflowFile
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

const RESERVED_NODE_NAMES = new Set(["__start__", "__end__"])

const ROUTING_COLUMNS = ["Edge", "Success_Next", "Failure_Next"] as const

const at = (row: WorkflowRow, column: Column) => ({ file: row.file, line: row.line, column: cellColumn(row, column) })

const decodeRouting = (row: WorkflowRow, diagnostics: Array<Diagnostic>): Routing => {
  const edge = cellValue(row, "Edge")
  const success = cellValue(row, "Success_Next")
  const failure = cellValue(row, "Failure_Next")
  const funcs: Array<{ column: (typeof ROUTING_COLUMNS)[number]; name: string }> = []
  for (const column of ROUTING_COLUMNS) {
    const name = functionName(cellValue(row, column))
    if (name !== undefined) funcs.push({ column, name })
  }
  for (const f of funcs) {
    if (!/^[A-Za-z_$][\w$-]*$/.test(f.name))
      diagnostics.push(error(at(row, f.column), "invalid-function", `'func:${f.name}' is not a valid routing function name`))
  }
  if (new Set(funcs.map((f) => f.name)).size > 1)
    diagnostics.push(
      error(at(row, funcs[1]!.column), "conflicting-functions", `one node can be routed by one function, found ${funcs.map((f) => `func:${f.name}`).join(" and ")}`)
    )
  const plain = (cell: string) => (functionName(cell) === undefined ? splitTargets(cell) : [])
  if (edge !== "" && (success !== "" || failure !== "") && functionName(edge) === undefined) {
    // upstream runs such rows, following Edge: so do we, and say what is ignored
    const ignored = [success !== "" ? `Success_Next '${success}'` : "", failure !== "" ? `Failure_Next '${failure}'` : ""].filter((s) => s !== "").join(" and ")
    diagnostics.push(
      warning(
        at(row, success !== "" ? "Success_Next" : "Failure_Next"),
        "edge-conflict",
        `node '${cellValue(row, "Node")}' has both Edge and ${success !== "" ? "Success_Next" : "Failure_Next"}: Edge wins (the run always goes to '${edge}') and ${ignored} is ignored; use Edge for unconditional routing, or Success_Next/Failure_Next to route by outcome`
      )
    )
    return { _tag: "Edge", targets: splitTargets(edge) }
  }
  if (funcs.length > 0) return { _tag: "Function", name: funcs[0]!.name, success: plain(success), failure: plain(failure) }
  if (edge !== "") return { _tag: "Edge", targets: splitTargets(edge) }
  if (success !== "" || failure !== "") return { _tag: "Branch", success: plain(success), failure: plain(failure) }
  return { _tag: "End" }
}

const NO_ROUTING_CELLS = {}

const routingCells = (row: WorkflowRow): NodeSpec["routingCells"] => {
  let cells: Record<string, ReadonlyArray<string>> | undefined
  for (const column of ROUTING_COLUMNS) {
    const cell = cellValue(row, column)
    if (cell === "" || functionName(cell) !== undefined) continue
    cells ??= {}
    cells[column] = splitTargets(cell)
  }
  return cells ?? NO_ROUTING_CELLS
}

const checkFieldNames = (
  row: WorkflowRow,
  column: Column,
  names: ReadonlyArray<string>,
  diagnostics: Array<Diagnostic>
) => {
  for (const name of names.length > 1 ? new Set(names) : names) {
    if (!isValidFieldName(name))
      diagnostics.push(
        error(
          at(row, column),
          "invalid-field",
          `invalid field name '${name}' in ${column}: use letters, digits, '_', '-' or '.', separated by '|'`
        )
      )
  }
}

const decodeNode = (row: WorkflowRow, diagnostics: Array<Diagnostic>): NodeSpec => {
  const name = cellValue(row, "Node")
  const declaredType = cellValue(row, "AgentType")
  const inputs: ReadonlyArray<InputBinding> = parseInputs(cellValue(row, "Input_Fields"))
  const outputs: ReadonlyArray<OutputBinding> = parseOutputs(cellValue(row, "Output_Field"))
  checkFieldNames(row, "Input_Fields", inputs.flatMap((b) => (b.stateKey === b.param ? [b.stateKey] : [b.stateKey, b.param])), diagnostics)
  checkFieldNames(row, "Output_Field", outputs.flatMap((b) => (b.source === undefined ? [b.stateKey] : [b.stateKey, b.source])), diagnostics)
  return {
    name,
    agentType: normalizeAgentType(declaredType),
    declaredType: declaredType === "" ? "default" : declaredType,
    prompt: cellValue(row, "Prompt"),
    description: cellValue(row, "Description"),
    context: row.context,
    inputs,
    outputs,
    routing: decodeRouting(row, diagnostics),
    routingCells: routingCells(row),
    toolSource: cellValue(row, "Tool_Source"),
    availableTools: cellValue(row, "Available_Tools"),
    file: row.file,
    line: row.line,
    columns: row.columns
  }
}

const checkGraph = (graph: GraphSpec, diagnostics: Array<Diagnostic>) => {
  const names = new Set(graph.nodes.map((n) => n.name))
  for (const node of graph.nodes) {
    for (const [column, targets] of Object.entries(node.routingCells) as ReadonlyArray<[Column, ReadonlyArray<string>]>) {
      for (const target of targets) {
        if (!names.has(target))
          diagnostics.push(
            error(
              nodeAt(node, column),
              "unknown-target",
              `${column} of '${node.name}' routes to '${target}', which is not a node of graph '${graph.name}'${didYouMean(target, names)}`
            )
          )
      }
    }
    if (node.agentType === "graph") {
      const ref = subgraphRef(node)
      if (ref === undefined)
        diagnostics.push(
          error(
            nodeAt(node, "Context"),
            "missing-subgraph",
            `graph node '${node.name}' does not say which graph to run: set Context to {workflow=::Inner} (same file) or {workflow=file.csv::Inner}`
          )
        )
      else if (ref._tag === "Local" && ref.graph === graph.name)
        diagnostics.push(error(nodeAt(node, "Context"), "recursive-subgraph", `graph node '${node.name}' runs its own graph '${graph.name}'`))
    }
  }
  diagnostics.push(...analyzeGraph(graph))
}

/** Rows → graphs, with every structural problem found at once. Pure: file lookups happen in the application. */
export const validateRows = (csv: ParsedCsv): Validated => {
  const diagnostics: Array<Diagnostic> = [...csv.diagnostics]
  const groups = new Map<string, Array<NodeSpec>>()
  const firstLine = new Map<string, number>()
  for (const row of csv.rows) {
    const graphName = cellValue(row, "GraphName")
    const nodeName = cellValue(row, "Node")
    if (graphName === "") {
      diagnostics.push(error(at(row, "GraphName"), "missing-graph-name", "row has no GraphName: every row must name the graph it belongs to"))
      continue
    }
    if (nodeName === "") {
      diagnostics.push(error(at(row, "Node"), "missing-node-name", `row of graph '${graphName}' has no Node name`))
      continue
    }
    if (/[|:]/.test(nodeName) || RESERVED_NODE_NAMES.has(nodeName))
      diagnostics.push(
        error(at(row, "Node"), "invalid-node-name", `'${nodeName}' cannot be a node name: '|' and ':' are not allowed, and '__start__' and '__end__' are reserved`)
      )
    const node = decodeNode(row, diagnostics)
    const nodes = groups.get(graphName) ?? []
    if (nodes.length === 0) firstLine.set(graphName, row.line)
    nodes.push(node)
    groups.set(graphName, nodes)
  }
  const graphs: Array<GraphSpec> = []
  for (const [name, nodes] of groups) {
    const seen = new Map<string, NodeSpec>()
    for (const node of nodes) {
      const first = seen.get(node.name)
      if (first !== undefined) {
        const message = `node '${node.name}' is defined twice in graph '${name}' (lines ${first.line} and ${node.line})`
        diagnostics.push(error(nodeAt(first, "Node"), "duplicate-node", message), error(nodeAt(node, "Node"), "duplicate-node", message))
      } else seen.set(node.name, node)
    }
    const graph: GraphSpec = { name, file: csv.file, line: firstLine.get(name)!, nodes, entry: nodes[0]!.name }
    checkGraph(graph, diagnostics)
    graphs.push(graph)
  }
  if (csv.rows.length === 0 && !diagnostics.some((d) => d.code === "missing-column" || d.code === "csv-syntax"))
    diagnostics.push(error({ file: csv.file, line: 1, column: 1 }, "empty-workflow", "the file defines no graph: add rows below the header"))
  return { workflow: { file: csv.file, graphs }, diagnostics: sortByPosition(diagnostics) }
}

