// The graph drawn as SVG from the graph JSON (`GET /workflows/{id}/graph?format=json`): success,
// failure and parallel edges each with their own stroke, joins (where parallel branches meet) with
// a double border and a "join" label, node states coloured during a run.
import { NODE_H, NODE_W, layout } from "./layout.js"
import type { GraphJson } from "./types.js"

export type NodeState = "running" | "succeeded" | "failed"

interface Props {
  readonly graph: GraphJson
  readonly states?: Readonly<Record<string, NodeState>>
  readonly selected?: string | undefined
  readonly onSelect?: (node: string) => void
}

const EDGE_CLASS = (kind: string, parallel: boolean) => (parallel ? "edge parallel" : kind === "failure" ? "edge failure" : "edge success")

export const Diagram = ({ graph, states = {}, selected, onSelect }: Props) => {
  const { placed, width, height } = layout(graph.nodes, graph.edges, graph.entry)
  // nodes a diagnostic names ('Start'), and targets that are no node of the graph
  const joins = new Set(graph.joins)
  const flagged = new Set(graph.nodes.filter((n) => n.missing === true || graph.diagnostics.some((d) => d.node === n.name || d.message.includes(`'${n.name}'`))).map((n) => n.name))
  return (
    <figure class="diagram">
      <svg role="img" aria-label={`diagram of ${graph.workflow}::${graph.graph}`} viewBox={`0 0 ${width} ${Math.max(height, NODE_H + 20)}`} width={width} height={Math.max(height, NODE_H + 20)}>
        <defs>
          {["success", "failure", "parallel"].map((k) => (
            <marker id={`arrow-${k}`} key={k} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" class={`arrowhead ${k}`} />
            </marker>
          ))}
        </defs>
        {graph.edges.map((e, i) => {
          const a = placed.get(e.from)
          const b = placed.get(e.to)
          if (a === undefined || b === undefined) return null
          const kind = e.parallel ? "parallel" : e.kind === "failure" ? "failure" : "success"
          const x1 = a.x + NODE_W / 2 + (kind === "failure" ? 12 : 0)
          const y1 = a.y + NODE_H
          const x2 = b.x + NODE_W / 2 + (kind === "failure" ? 12 : 0)
          const y2 = b.y
          const back = y2 <= y1
          const d = back
            ? `M ${a.x + NODE_W} ${a.y + NODE_H / 2} C ${a.x + NODE_W + 60} ${a.y + NODE_H / 2}, ${b.x + NODE_W + 60} ${b.y + NODE_H / 2}, ${b.x + NODE_W} ${b.y + NODE_H / 2}`
            : `M ${x1} ${y1} C ${x1} ${(y1 + y2) / 2}, ${x2} ${(y1 + y2) / 2}, ${x2} ${y2}`
          return (
            <path key={i} d={d} class={EDGE_CLASS(e.kind, e.parallel)} data-kind={kind} marker-end={`url(#arrow-${kind})`}>
              <title>{`${e.from} → ${e.to} (${kind})`}</title>
            </path>
          )
        })}
        {graph.nodes.map((n) => {
          const p = placed.get(n.name)!
          const state = states[n.name]
          return (
            <g
              key={n.name}
              class={`node${state ? ` ${state}` : ""}${selected === n.name ? " selected" : ""}${flagged.has(n.name) ? " invalid" : ""}${joins.has(n.name) ? " join" : ""}`}
              data-node={n.name}
              data-join={joins.has(n.name) ? "true" : undefined}
              data-state={state ?? "idle"}
              data-invalid={flagged.has(n.name) ? "true" : undefined}
              transform={`translate(${p.x} ${p.y})`}
              onClick={() => onSelect?.(n.name)}
            >
              <rect width={NODE_W} height={NODE_H} rx="8" />
              {joins.has(n.name) ? (
                <>
                  <rect class="join-inner" x="4" y="4" width={NODE_W - 8} height={NODE_H - 8} rx="5" />
                  <text x={NODE_W - 8} y="14" text-anchor="end" class="join-label">join</text>
                </>
              ) : null}
              <text x={NODE_W / 2} y="19" text-anchor="middle" class="node-name">{n.name}</text>
              <text x={NODE_W / 2} y="36" text-anchor="middle" class="node-agent">{n.agent}</text>
            </g>
          )
        })}
      </svg>
      <figcaption class="legend">
        <span class="key success">success</span> <span class="key failure">failure</span> <span class="key parallel">parallel</span>
        {joins.size > 0 ? (
          <>
            {" "}
            <span class="key join">join (double border)</span>
          </>
        ) : null}
        {graph.nodes.length > 0 && onSelect !== undefined ? (
          <span class="node-buttons">
            {" "}Nodes:{" "}
            {graph.nodes.map((n) => (
              <button type="button" key={n.name} class="link" aria-pressed={selected === n.name} onClick={() => onSelect(n.name)}>
                {n.name}
                {joins.has(n.name) ? " (join)" : ""}
              </button>
            ))}
          </span>
        ) : null}
      </figcaption>
    </figure>
  )
}
