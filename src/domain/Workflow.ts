import type { InputBinding, OutputBinding } from "./Bindings.js"
import type { Column } from "./Columns.js"
import type { At } from "./Diagnostic.js"
import type { JsonObject } from "./Json.js"
import type { Routing } from "./Routing.js"

/** One node of a graph: a CSV row, decoded. */
export interface NodeSpec {
  readonly name: string
  /** Normalised agent type (`GraphAgent` → `graph`). */
  readonly agentType: string
  /** The agent type as the author wrote it, for messages. */
  readonly declaredType: string
  readonly prompt: string
  readonly description: string
  readonly context: JsonObject
  readonly inputs: ReadonlyArray<InputBinding>
  readonly outputs: ReadonlyArray<OutputBinding>
  readonly routing: Routing
  /** Plain node names written in each routing cell (not `func:` names), for position-exact checks. */
  readonly routingCells: Partial<Record<"Edge" | "Success_Next" | "Failure_Next", ReadonlyArray<string>>>
  readonly toolSource: string
  readonly availableTools: string
  readonly file: string
  readonly line: number
  /** Field positions of the cells this node came from, for diagnostics. */
  readonly columns: Partial<Record<Column, number>>
}

/** A graph: its nodes in file order; the first row is the entry node. */
export interface GraphSpec {
  readonly name: string
  readonly file: string
  readonly line: number
  readonly nodes: ReadonlyArray<NodeSpec>
  readonly entry: string
}

/** Every graph a CSV file holds, in the order they first appear. */
export interface WorkflowFile {
  readonly file: string
  readonly graphs: ReadonlyArray<GraphSpec>
}

export const nodeAt = (node: NodeSpec, column?: Column): At => ({
  file: node.file,
  line: node.line,
  column: (column !== undefined ? node.columns[column] : undefined) ?? 1
})

export const findGraph = (workflow: WorkflowFile, name: string): GraphSpec | undefined =>
  workflow.graphs.find((g) => g.name === name)

export const findNode = (graph: GraphSpec, name: string): NodeSpec | undefined => graph.nodes.find((n) => n.name === name)
