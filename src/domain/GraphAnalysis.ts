import { type Diagnostic, warning } from "./Diagnostic.js"
import { canFanOut, staticTargets } from "./Routing.js"
import type { GraphSpec, NodeSpec } from "./Workflow.js"
import { nodeAt } from "./Workflow.js"

/** Agent types that choose their successor among all nodes at run time. */
const DYNAMIC_ROUTERS = new Set(["orchestrator"])

export const routesDynamically = (node: NodeSpec): boolean =>
  node.routing._tag === "Function" || DYNAMIC_ROUTERS.has(node.agentType)

/** A node can end the run: no routing, an empty side of a branch, or a routing decided at run time. */
const canEnd = (node: NodeSpec): boolean => {
  const r = node.routing
  return r._tag === "End" || (r._tag === "Branch" && (r.success.length === 0 || r.failure.length === 0)) || routesDynamically(node)
}

/**
 * The graph as integer adjacency lists over its distinct node names (first definition wins):
 * graphs of 10,000 rows are analysed in linear time without hashing names on every step.
 */
export interface Indexed {
  readonly nodes: ReadonlyArray<NodeSpec>
  readonly index: ReadonlyMap<string, number>
  readonly successors: ReadonlyArray<ReadonlyArray<number>>
  readonly predecessorCount: ReadonlyArray<number>
}

export const indexGraph = (graph: GraphSpec): Indexed => {
  const index = new Map<string, number>()
  const nodes: Array<NodeSpec> = []
  for (const n of graph.nodes) {
    if (index.has(n.name)) continue
    index.set(n.name, nodes.length)
    nodes.push(n)
  }
  const all = nodes.map((_, i) => i)
  const predecessorCount = new Array<number>(nodes.length).fill(0)
  const successors = nodes.map((n) => {
    if (routesDynamically(n)) return all
    const targets = staticTargets(n.routing)
    const out: Array<number> = []
    for (const t of targets) {
      const i = index.get(t)
      if (i !== undefined && !out.includes(i)) out.push(i)
    }
    return out
  })
  for (const out of successors) for (const i of out) predecessorCount[i]!++
  return { nodes, index, successors, predecessorCount }
}

/** Names of the nodes that more than one node routes to. */
export const joinCandidates = (graph: GraphSpec): ReadonlySet<string> => {
  const g = indexGraph(graph)
  return new Set(g.nodes.filter((_, i) => g.predecessorCount[i]! > 1).map((n) => n.name))
}

/**
 * Of the joins held back until nothing else is due, the ones to run now: those no other held join
 * leads to. A held join that another held join can reach waits for it, so it runs once, after
 * both (two joins that reach each other, in a cycle, run together).
 */
export const joinRelease = (graph: GraphSpec) => {
  const g = indexGraph(graph)
  // a routing function leads where its declared targets say (the outcomes it is called with);
  // one without any, or an orchestrator, may lead anywhere
  const successors = g.nodes.map((n, i) => {
    const declared = n.routing._tag === "Function" && !DYNAMIC_ROUTERS.has(n.agentType) ? staticTargets(n.routing) : []
    return declared.length === 0 ? g.successors[i]! : declared.flatMap((t) => (g.index.has(t) ? [g.index.get(t)!] : []))
  })
  const reach = new Map<number, Uint8Array>()
  const reaches = (from: number, to: number) => {
    let seen = reach.get(from)
    if (seen === undefined) reach.set(from, (seen = reachableFrom(from, successors)))
    return seen[to] === 1
  }
  return (held: ReadonlyArray<string>): { readonly release: ReadonlyArray<string>; readonly keep: ReadonlyArray<string> } => {
    const ids = held.map((name) => g.index.get(name))
    const upstream = (i: number) => ids.some((other, j) => j !== i && other !== undefined && ids[i] !== undefined && reaches(other, ids[i]!) && !reaches(ids[i]!, other))
    const release: Array<string> = []
    const keep: Array<string> = []
    held.forEach((name, i) => (upstream(i) ? keep : release).push(name))
    return { release, keep }
  }
}

const reachableFrom = (start: number, successors: ReadonlyArray<ReadonlyArray<number>>): Uint8Array => {
  const seen = new Uint8Array(successors.length)
  seen[start] = 1
  const stack = [start]
  while (stack.length > 0) {
    for (const next of successors[stack.pop()!]!) {
      if (seen[next] === 0) {
        seen[next] = 1
        stack.push(next)
      }
    }
  }
  return seen
}

/** Strongly connected components (iterative Tarjan over indices; no recursion for long chains). */
const components = (successors: ReadonlyArray<ReadonlyArray<number>>): Array<Array<number>> => {
  const n = successors.length
  const index = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const onStack = new Uint8Array(n)
  const next = new Int32Array(n)
  const stack: Array<number> = []
  const work: Array<number> = []
  const result: Array<Array<number>> = []
  let counter = 0
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue
    index[root] = low[root] = counter++
    stack.push(root)
    onStack[root] = 1
    work.push(root)
    while (work.length > 0) {
      const v = work[work.length - 1]!
      const succ = successors[v]!
      if (next[v]! < succ.length) {
        const w = succ[next[v]!++]!
        if (index[w] === -1) {
          index[w] = low[w] = counter++
          stack.push(w)
          onStack[w] = 1
          work.push(w)
        } else if (onStack[w] === 1) low[v] = Math.min(low[v]!, index[w]!)
        continue
      }
      work.pop()
      if (work.length > 0) {
        const parent = work[work.length - 1]!
        low[parent] = Math.min(low[parent]!, low[v]!)
      }
      if (low[v] === index[v]) {
        const component: Array<number> = []
        let w: number
        do {
          w = stack.pop()!
          onStack[w] = 0
          component.push(w)
        } while (w !== v)
        result.push(component)
      }
    }
  }
  return result
}

const parallelWrites = (g: Indexed): Array<Diagnostic> => {
  const out: Array<Diagnostic> = []
  for (const node of g.nodes) {
    if (!canFanOut(node.routing) || node.routing._tag === "Function") continue
    const sides = node.routing._tag === "Edge" ? [node.routing.targets] : node.routing._tag === "Branch" ? [node.routing.success, node.routing.failure] : []
    for (const side of sides) {
      const targets = side.map((t) => g.index.get(t)).filter((i): i is number => i !== undefined)
      if (targets.length < 2) continue
      const reach = targets.map((t) => reachableFrom(t, g.successors))
      const writers = new Map<string, { branch: number; node: string }>()
      const reported = new Set<string>()
      reach.forEach((r, branch) => {
        for (let i = 0; i < r.length; i++) {
          // only nodes this branch reaches alone: after the join every branch reaches the same nodes
          if (r[i] === 0 || reach.some((other, j) => j !== branch && other[i] === 1)) continue
          const writer = g.nodes[i]!
          for (const o of writer.outputs) {
            const previous = writers.get(o.stateKey)
            if (previous === undefined) writers.set(o.stateKey, { branch, node: writer.name })
            else if (previous.branch !== branch && !reported.has(o.stateKey)) {
              reported.add(o.stateKey)
              out.push(
                warning(
                  nodeAt(writer, "Output_Field"),
                  "parallel-write",
                  `parallel branches of '${node.name}' both write '${o.stateKey}' ('${previous.node}' and '${writer.name}'): the later write wins`
                )
              )
            }
          }
        }
      })
    }
  }
  return out
}

/** Warnings about a graph's shape: isolated and unreachable nodes, parallel branches writing one key, inescapable cycles. */
export const analyzeGraph = (graph: GraphSpec): Array<Diagnostic> => {
  const out: Array<Diagnostic> = []
  const g = indexGraph(graph)
  const entry = g.index.get(graph.entry) ?? 0
  const reachable = reachableFrom(entry, g.successors)
  g.nodes.forEach((node, i) => {
    if (reachable[i] === 1) return
    out.push(
      g.successors[i]!.length === 0 && g.predecessorCount[i] === 0
        ? warning(nodeAt(node, "Node"), "isolated-node", `node '${node.name}' is isolated: no node routes to it and it routes nowhere, so it never runs`)
        : warning(nodeAt(node, "Node"), "unreachable-node", `node '${node.name}' cannot be reached from the entry node '${graph.entry}', so it never runs`)
    )
  })
  out.push(...parallelWrites(g))
  for (const component of components(g.successors)) {
    const first = component[0]!
    const cyclic = component.length > 1 || g.successors[first]!.includes(first)
    if (!cyclic || reachable[first] === 0) continue
    const members = new Set(component)
    const escapes = component.some((i) => canEnd(g.nodes[i]!) || g.successors[i]!.some((s) => !members.has(s)))
    if (escapes) continue
    const earliest = component.map((i) => g.nodes[i]!).sort((a, b) => a.line - b.line)[0]!
    out.push(
      warning(
        nodeAt(earliest, "Node"),
        "cycle-no-exit",
        `nodes ${component.map((i) => `'${g.nodes[i]!.name}'`).join(", ")} form a cycle with no way out: the run only stops at the step limit`
      )
    )
  }
  return out
}
