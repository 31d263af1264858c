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
  return (
    r._tag === "End" ||
    (r._tag === "Branch" && (r.success.length === 0 || r.failure.length === 0)) ||
    routesDynamically(node)
  )
}

export interface Adjacency {
  readonly successors: ReadonlyMap<string, ReadonlyArray<string>>
  readonly predecessors: ReadonlyMap<string, ReadonlyArray<string>>
}

export const adjacency = (graph: GraphSpec): Adjacency => {
  const names = new Set(graph.nodes.map((n) => n.name))
  const successors = new Map<string, Array<string>>()
  const predecessors = new Map<string, Array<string>>()
  for (const n of graph.nodes) {
    successors.set(n.name, [])
    predecessors.set(n.name, [])
  }
  for (const n of graph.nodes) {
    const targets = routesDynamically(n) ? [...new Set([...staticTargets(n.routing), ...names])] : staticTargets(n.routing)
    for (const t of new Set(targets)) {
      if (!names.has(t)) continue
      successors.get(n.name)!.push(t)
      predecessors.get(t)!.push(n.name)
    }
  }
  return { successors, predecessors }
}

const reachableFrom = (start: string, successors: ReadonlyMap<string, ReadonlyArray<string>>): Set<string> => {
  const seen = new Set<string>([start])
  const stack = [start]
  while (stack.length > 0) {
    for (const next of successors.get(stack.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next)
        stack.push(next)
      }
    }
  }
  return seen
}

/** Strongly connected components (iterative Tarjan), so 10,000-node chains do not overflow the stack. */
const components = (names: ReadonlyArray<string>, successors: ReadonlyMap<string, ReadonlyArray<string>>) => {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: Array<string> = []
  const result: Array<Array<string>> = []
  let counter = 0
  for (const root of names) {
    if (index.has(root)) continue
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }]
    index.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      const succ = successors.get(frame.node) ?? []
      if (frame.next < succ.length) {
        const w = succ[frame.next++]!
        if (!index.has(w)) {
          index.set(w, counter)
          low.set(w, counter++)
          stack.push(w)
          onStack.add(w)
          work.push({ node: w, next: 0 })
        } else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!))
        continue
      }
      work.pop()
      if (work.length > 0) {
        const parent = work[work.length - 1]!.node
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!))
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: Array<string> = []
        let w: string
        do {
          w = stack.pop()!
          onStack.delete(w)
          component.push(w)
        } while (w !== frame.node)
        result.push(component)
      }
    }
  }
  return result
}

const parallelWrites = (graph: GraphSpec, adj: Adjacency, byName: ReadonlyMap<string, NodeSpec>): Array<Diagnostic> => {
  const out: Array<Diagnostic> = []
  for (const node of graph.nodes) {
    if (!canFanOut(node.routing) || node.routing._tag === "Function") continue
    const sides =
      node.routing._tag === "Edge" ? [node.routing.targets] : node.routing._tag === "Branch" ? [node.routing.success, node.routing.failure] : []
    for (const side of sides) {
      const targets = side.filter((t) => byName.has(t))
      if (targets.length < 2) continue
      const reach = targets.map((t) => reachableFrom(t, adj.successors))
      const exclusive = reach.map((r, i) => [...r].filter((n) => reach.every((other, j) => j === i || !other.has(n))))
      const writers = new Map<string, string>()
      const reported = new Set<string>()
      exclusive.forEach((branch, i) => {
        for (const name of branch) {
          for (const o of byName.get(name)!.outputs) {
            const previous = writers.get(o.stateKey)
            if (previous !== undefined && !previous.startsWith(`${i}:`) && !reported.has(o.stateKey)) {
              reported.add(o.stateKey)
              out.push(
                warning(
                  nodeAt(byName.get(name)!, "Output_Field"),
                  "parallel-write",
                  `parallel branches of '${node.name}' both write '${o.stateKey}' ('${previous.slice(previous.indexOf(":") + 1)}' and '${name}'): the later write wins`
                )
              )
            }
            if (previous === undefined) writers.set(o.stateKey, `${i}:${name}`)
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
  const byName = new Map<string, NodeSpec>()
  for (const n of graph.nodes) if (!byName.has(n.name)) byName.set(n.name, n)
  const adj = adjacency(graph)
  const reachable = reachableFrom(graph.entry, adj.successors)
  for (const node of byName.values()) {
    if (node.name === graph.entry || reachable.has(node.name)) continue
    const isolated = adj.successors.get(node.name)!.length === 0 && adj.predecessors.get(node.name)!.length === 0
    out.push(
      isolated
        ? warning(nodeAt(node, "Node"), "isolated-node", `node '${node.name}' is isolated: no node routes to it and it routes nowhere, so it never runs`)
        : warning(
            nodeAt(node, "Node"),
            "unreachable-node",
            `node '${node.name}' cannot be reached from the entry node '${graph.entry}', so it never runs`
          )
    )
  }
  out.push(...parallelWrites(graph, adj, byName))
  for (const component of components([...byName.keys()], adj.successors)) {
    const members = new Set(component)
    const cyclic = component.length > 1 || adj.successors.get(component[0]!)!.includes(component[0]!)
    if (!cyclic || !reachable.has(component[0]!)) continue
    const escapes = component.some(
      (name) => canEnd(byName.get(name)!) || adj.successors.get(name)!.some((s) => !members.has(s))
    )
    if (escapes) continue
    const first = component.map((n) => byName.get(n)!).sort((a, b) => a.line - b.line)[0]!
    out.push(
      warning(
        nodeAt(first, "Node"),
        "cycle-no-exit",
        `nodes ${component.map((n) => `'${n}'`).join(", ")} form a cycle with no way out: the run only stops at the step limit`
      )
    )
  }
  return out
}
