// A simple layered layout for the graph diagram: each node's layer is its longest distance from
// the entry over success/parallel edges (failure edges and cycles do not push layers), nodes of a
// layer side by side.
import type { GraphEdge, GraphNode } from "./types.js"

export interface Placed {
  readonly name: string
  readonly x: number
  readonly y: number
}

export const NODE_W = 150
export const NODE_H = 46
const GAP_X = 40
const GAP_Y = 60

export const layout = (nodes: ReadonlyArray<GraphNode>, edges: ReadonlyArray<GraphEdge>, entry: string) => {
  const layer = new Map<string, number>()
  const names = nodes.map((n) => n.name)
  const forward = edges.filter((e) => e.kind !== "failure")
  // breadth-first from the entry, each node placed once, below the node that reaches it first
  const order = [names.includes(entry) ? entry : names[0]].filter((n): n is string => n !== undefined)
  if (order[0] !== undefined) layer.set(order[0], 0)
  const visit = (queue: string[], via: ReadonlyArray<GraphEdge>) => {
    while (queue.length > 0) {
      const from = queue.shift()!
      for (const e of via) {
        if (e.from !== from || layer.has(e.to) || !names.includes(e.to)) continue
        layer.set(e.to, layer.get(from)! + 1)
        queue.push(e.to)
      }
    }
  }
  visit([...order], forward)
  visit([...layer.keys()], edges)
  // unreachable nodes go in a last row
  const deepest = Math.max(-1, ...layer.values())
  for (const n of names) if (!layer.has(n)) layer.set(n, deepest + 1)
  const rows = new Map<number, string[]>()
  for (const n of names) rows.set(layer.get(n)!, [...(rows.get(layer.get(n)!) ?? []), n])
  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length))
  const width = widest * (NODE_W + GAP_X) + GAP_X
  const placed = new Map<string, Placed>()
  for (const [row, members] of rows) {
    const rowWidth = members.length * (NODE_W + GAP_X) - GAP_X
    members.forEach((name, i) => placed.set(name, { name, x: (width - rowWidth) / 2 + i * (NODE_W + GAP_X), y: GAP_Y / 2 + row * (NODE_H + GAP_Y) }))
  }
  const height = (Math.max(0, ...rows.keys()) + 1) * (NODE_H + GAP_Y)
  return { placed, width, height }
}
