import { type SubgraphRef, describeRef, subgraphRef } from "./Subgraph.js"
import type { GraphSpec, NodeSpec } from "./Workflow.js"

/**
 * A graph as `agentmap inspect` draws it: nodes, edges by kind, entry, terminal nodes, parallel
 * fan-outs and their joins, and (expanded) the graphs its `graph` nodes run. Pure: the renderers
 * (Mermaid, DOT, JSON) work from this alone.
 */

/** `edge` (always taken), `success`, `failure`, or `func:NAME` (a routing function may choose it). */
export type EdgeKind = "edge" | "success" | "failure" | `func:${string}`

export interface ViewEdge {
  readonly from: string
  readonly to: string
  readonly kind: EdgeKind
  /** One of several targets taken at once (an Edge or a branch side naming several nodes). */
  readonly parallel: boolean
}

export interface ViewNode {
  readonly name: string
  /** The agent type as written in the CSV. */
  readonly agent: string
  readonly description: string
  readonly inputs: ReadonlyArray<string>
  readonly outputs: ReadonlyArray<string>
  /** A routing function's name, when one decides where to go. */
  readonly function?: string
  /** Chooses its successor at run time among all nodes (an orchestrator, a function with no declared targets). */
  readonly dynamic: boolean
  /** The graph a `graph` node runs, as written (`review.csv::Review`, `::Inner`). */
  readonly subgraph?: string
  /** Named by a routing cell but not defined in the graph (the workflow is invalid). */
  readonly missing: boolean
}

/** A graph run by a `graph` node, drawn inside the parent (`--expand`), or why it could not be. */
export interface ViewSubgraph {
  readonly node: string
  readonly ref: string
  readonly view?: GraphView
  readonly error?: string
}

export interface GraphView {
  readonly workflow: string
  readonly graph: string
  readonly entry: string
  readonly nodes: ReadonlyArray<ViewNode>
  readonly edges: ReadonlyArray<ViewEdge>
  /** Nodes after which the graph can end: no routing, or an empty success/failure side. */
  readonly terminal: ReadonlyArray<string>
  /** Nodes that start several nodes at once, with the nodes they start. */
  readonly fanOut: ReadonlyArray<{ readonly node: string; readonly targets: ReadonlyArray<string> }>
  /** Nodes where parallel branches meet (they run once, after every branch). */
  readonly joins: ReadonlyArray<string>
  readonly subgraphs: ReadonlyArray<ViewSubgraph>
}

const sideEdges = (from: string, targets: ReadonlyArray<string>, kind: EdgeKind): Array<ViewEdge> =>
  targets.map((to) => ({ from, to, kind, parallel: targets.length > 1 }))

const edgesOf = (node: NodeSpec): Array<ViewEdge> => {
  const r = node.routing
  switch (r._tag) {
    case "End":
      return []
    case "Edge":
      return sideEdges(node.name, r.targets, "edge")
    case "Branch":
      return [...sideEdges(node.name, r.success, "success"), ...sideEdges(node.name, r.failure, "failure")]
    case "Function": {
      // the function chooses among its declared targets: none of them is taken "in parallel"
      const targets = [...new Set([...r.success, ...r.failure])]
      return targets.map((to) => ({ from: node.name, to, kind: `func:${r.name}` as const, parallel: false }))
    }
  }
}

const isTerminal = (node: NodeSpec) => {
  const r = node.routing
  return r._tag === "End" || (r._tag === "Branch" && (r.success.length === 0 || r.failure.length === 0))
}

/** Nodes reachable from `start` (inclusive) over `next`. */
const reach = (start: string, next: ReadonlyMap<string, ReadonlyArray<string>>): Set<string> => {
  const seen = new Set([start])
  const stack = [start]
  while (stack.length > 0) {
    for (const n of next.get(stack.pop()!) ?? []) {
      if (seen.has(n)) continue
      seen.add(n)
      stack.push(n)
    }
  }
  return seen
}

/**
 * Where the branches of each fan-out meet: a node two branches reach, entered from a node fewer
 * branches reach (the first common node on the way, not every node after it).
 */
const joinsOf = (fanOut: GraphView["fanOut"], edges: ReadonlyArray<ViewEdge>): Array<string> => {
  const next = new Map<string, Array<string>>()
  const previous = new Map<string, Array<string>>()
  for (const e of edges) {
    next.set(e.from, [...(next.get(e.from) ?? []), e.to])
    previous.set(e.to, [...(previous.get(e.to) ?? []), e.from])
  }
  const joins = new Set<string>()
  for (const { targets } of fanOut) {
    const branches = targets.map((t) => reach(t, next))
    const count = (n: string) => branches.filter((b) => b.has(n)).length
    for (const n of previous.keys()) {
      const here = count(n)
      if (here >= 2 && (previous.get(n) ?? []).some((p) => count(p) < here)) joins.add(n)
    }
  }
  return [...joins]
}

/** The description of `graph`; `subgraphs` are the expanded graphs of its `graph` nodes (see the application). */
export const graphView = (workflow: string, graph: GraphSpec, subgraphs: ReadonlyArray<ViewSubgraph> = []): GraphView => {
  const seen = new Set<string>()
  const defined = graph.nodes.filter((n) => (seen.has(n.name) ? false : (seen.add(n.name), true)))
  const edges = defined.flatMap(edgesOf)
  const missing = [...new Set(edges.map((e) => e.to).filter((to) => !seen.has(to)))]
  const nodes: Array<ViewNode> = [
    ...defined.map((n): ViewNode => {
      const ref = n.agentType === "graph" ? subgraphRef(n) : undefined
      return {
        name: n.name,
        agent: n.declaredType,
        description: n.description,
        inputs: n.inputs.map((b) => b.stateKey),
        outputs: n.outputs.map((b) => b.stateKey),
        ...(n.routing._tag === "Function" ? { function: n.routing.name } : {}),
        dynamic: n.agentType === "orchestrator" || (n.routing._tag === "Function" && edgesOf(n).length === 0),
        ...(ref !== undefined ? { subgraph: describeRef(ref) } : {}),
        missing: false
      }
    }),
    ...missing.map((name): ViewNode => ({ name, agent: "", description: "", inputs: [], outputs: [], dynamic: false, missing: true }))
  ]
  const fanOut = defined.flatMap((n) => {
    const r = n.routing
    const sides = r._tag === "Edge" ? [r.targets] : r._tag === "Branch" ? [r.success, r.failure] : []
    return sides.filter((side) => side.length > 1).map((targets) => ({ node: n.name, targets }))
  })
  return {
    workflow,
    graph: graph.name,
    entry: graph.entry,
    nodes,
    edges,
    terminal: defined.filter(isTerminal).map((n) => n.name),
    fanOut,
    joins: joinsOf(fanOut, edges),
    subgraphs
  }
}

/** The subgraph a `graph` node runs by address (not one read from state), for expanding. */
export const expandable = (node: NodeSpec): Exclude<SubgraphRef, { readonly _tag: "FromState" }> | undefined => {
  if (node.agentType !== "graph") return undefined
  const ref = subgraphRef(node)
  return ref === undefined || ref._tag === "FromState" ? undefined : ref
}
