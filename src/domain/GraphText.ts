import type { GraphView, ViewEdge, ViewNode } from "./GraphView.js"

/**
 * A graph view as text: Mermaid `flowchart`, Graphviz DOT, and the JSON document. Node ids are
 * generated (`n0`, `s1_n2`), so a node's name only ever appears inside a quoted, escaped label.
 */

export type GraphFormat = "mermaid" | "dot" | "json"
export const GRAPH_FORMATS: ReadonlyArray<GraphFormat> = ["mermaid", "dot", "json"]

/** What may reach a Mermaid label as it is written: entity codes for the rest (quotes, markup, `#`), one line. */
export const mermaidText = (text: string): string =>
  text.replace(/\r\n|\r|\n/g, " ").replace(/[#"<>&`]/g, (c) => MERMAID_ENTITIES[c]!)

const MERMAID_ENTITIES: Readonly<Record<string, string>> = { "#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;" }

/** A DOT double-quoted string's content: backslashes and quotes escaped, line breaks as `\n`. */
export const dotText = (text: string): string => text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, "\\n")

/** Generated ids for every node of a view and its expanded subgraphs (prefix `n`, `s1_n`, ...). */
interface Ids {
  readonly node: (name: string) => string
}

const idsFor = (view: GraphView, prefix: string): Ids => {
  const ids = new Map(view.nodes.map((n, i) => [n.name, `${prefix}n${i}`]))
  return { node: (name) => ids.get(name) ?? `${prefix}missing` }
}

const edgeLabel = (e: ViewEdge): string | undefined => (e.kind === "edge" ? (e.parallel ? "parallel" : undefined) : e.kind)

const nodeNotes = (view: GraphView, n: ViewNode): ReadonlyArray<string> => [
  ...(n.missing ? ["not defined"] : []),
  ...(n.name === view.entry ? ["entry"] : []),
  ...(view.joins.includes(n.name) ? ["join"] : []),
  ...(n.dynamic ? ["routes at run time"] : []),
  ...(n.subgraph !== undefined ? [`runs ${n.subgraph}`] : [])
]

// ---------------------------------------------------------------------------------------------
// Mermaid

const mermaidShape = (view: GraphView, n: ViewNode, label: string): string => {
  const text = `"${label}"`
  if (n.subgraph !== undefined) return `[[${text}]]`
  if (view.joins.includes(n.name)) return `{{${text}}}`
  if (view.terminal.includes(n.name)) return `([${text}])`
  return `[${text}]`
}

const mermaidArrow = (e: ViewEdge): string => (e.kind.startsWith("func:") ? "-.->" : e.parallel ? "==>" : "-->")

const mermaidClasses = `  classDef entry stroke-width:3px
  classDef join fill:#fff3cd,stroke:#b8860b
  classDef fanout stroke:#b8860b,stroke-width:2px
  classDef terminal fill:#e8f4ea
  classDef missing stroke-dasharray:5 5,fill:#fdecea
  classDef subgraphNode fill:#e7f0fd`

const mermaidBody = (view: GraphView, prefix: string, indent: string, lines: Array<string>, classes: Map<string, Array<string>>) => {
  const ids = idsFor(view, prefix)
  const tag = (cls: string, id: string) => classes.set(cls, [...(classes.get(cls) ?? []), id])
  for (const n of view.nodes) {
    const id = ids.node(n.name)
    const label = [mermaidText(n.name), ...(n.missing ? ["(not defined)"] : [mermaidText(n.agent)]), ...(n.function !== undefined ? [mermaidText(`func:${n.function}`)] : [])].join("<br/>")
    lines.push(`${indent}${id}${mermaidShape(view, n, label)}`)
    if (n.name === view.entry) tag("entry", id)
    if (view.joins.includes(n.name)) tag("join", id)
    if (view.fanOut.some((f) => f.node === n.name)) tag("fanout", id)
    if (view.terminal.includes(n.name)) tag("terminal", id)
    if (n.missing) tag("missing", id)
    if (n.subgraph !== undefined) tag("subgraphNode", id)
  }
  for (const e of view.edges) {
    const label = edgeLabel(e)
    lines.push(`${indent}${ids.node(e.from)} ${mermaidArrow(e)}${label === undefined ? "" : `|"${mermaidText(label)}"|`} ${ids.node(e.to)}`)
  }
  view.subgraphs.forEach((s, i) => {
    const block = `${prefix}s${i}`
    const title = mermaidText(s.view !== undefined ? `${s.ref} (${s.view.graph})` : `${s.ref}: ${s.error ?? "not expanded"}`)
    lines.push(`${indent}subgraph ${block} ["${title}"]`)
    lines.push(`${indent}  direction TB`)
    if (s.view !== undefined) mermaidBody(s.view, `${block}_`, `${indent}  `, lines, classes)
    else lines.push(`${indent}  ${block}_none["not drawn"]`)
    lines.push(`${indent}end`)
    lines.push(`${indent}${ids.node(s.node)} -.->|"runs"| ${block}`)
  })
}

/** A Mermaid `flowchart`: nodes `Node<br/>agent`, edges labelled by kind, fan-outs thick, joins hexagons, `--expand`ed subgraphs as `subgraph` blocks. */
export const toMermaid = (view: GraphView): string => {
  const lines = [`flowchart TD`, `  %% graph ${mermaidText(view.graph)}`]
  const classes = new Map<string, Array<string>>()
  mermaidBody(view, "", "  ", lines, classes)
  lines.push(mermaidClasses)
  for (const [cls, ids] of classes) lines.push(`  class ${ids.join(",")} ${cls}`)
  return `${lines.join("\n")}\n`
}

// ---------------------------------------------------------------------------------------------
// DOT

const dotAttributes = (attributes: Readonly<Record<string, string | undefined>>): string => {
  const set = Object.entries(attributes).filter((a): a is [string, string] => a[1] !== undefined)
  return set.length === 0 ? "" : ` [${set.map(([k, v]) => `${k}="${dotText(v)}"`).join(", ")}]`
}

const dotEdgeStyle = (e: ViewEdge): Record<string, string | undefined> => ({
  label: edgeLabel(e),
  color: e.kind === "failure" ? "firebrick" : e.kind === "success" ? "darkgreen" : undefined,
  style: e.kind.startsWith("func:") ? "dashed" : e.parallel ? "bold" : undefined
})

const dotBody = (view: GraphView, prefix: string, indent: string, lines: Array<string>) => {
  const ids = idsFor(view, prefix)
  for (const n of view.nodes) {
    const notes = nodeNotes(view, n)
    lines.push(
      `${indent}${ids.node(n.name)}${dotAttributes({
        label: n.missing ? `${n.name}\n(not defined)` : `${n.name}\n${n.agent}${n.function !== undefined ? `\nfunc:${n.function}` : ""}`,
        tooltip: [n.description, ...notes].filter((t) => t !== "").join(" · ") || undefined,
        shape: n.subgraph !== undefined ? "component" : view.joins.includes(n.name) ? "hexagon" : undefined,
        peripheries: view.terminal.includes(n.name) ? "2" : undefined,
        penwidth: n.name === view.entry ? "2" : undefined,
        style: n.missing ? "dashed" : undefined
      })};`
    )
  }
  for (const e of view.edges) lines.push(`${indent}${ids.node(e.from)} -> ${ids.node(e.to)}${dotAttributes(dotEdgeStyle(e))};`)
  view.subgraphs.forEach((s, i) => {
    const block = `${prefix}s${i}`
    lines.push(`${indent}subgraph cluster_${block} {`)
    lines.push(`${indent}  label="${dotText(s.view !== undefined ? `${s.ref} (${s.view.graph})` : `${s.ref}: ${s.error ?? "not expanded"}`)}";`)
    if (s.view !== undefined) dotBody(s.view, `${block}_`, `${indent}  `, lines)
    else lines.push(`${indent}  ${block}_none [label="not drawn", style=dashed];`)
    lines.push(`${indent}}`)
    const first = s.view !== undefined ? `${block}_${idsFor(s.view, "").node(s.view.entry)}` : `${block}_none`
    lines.push(`${indent}${ids.node(s.node)} -> ${first} [label="runs", style="dotted", lhead="cluster_${block}"];`)
  })
}

/** A Graphviz `digraph`: the same nodes and edges (success green, failure red, functions dashed, parallel bold; expanded subgraphs as clusters). */
export const toDot = (view: GraphView): string => {
  const lines = [
    `digraph "${dotText(`${view.workflow}::${view.graph}`)}" {`,
    `  graph [label="${dotText(`${view.workflow}::${view.graph}`)}", labelloc="t", compound="true"];`,
    `  node [shape="box", style="rounded"];`
  ]
  dotBody(view, "", "  ", lines)
  lines.push("}")
  return `${lines.join("\n")}\n`
}

// ---------------------------------------------------------------------------------------------
// JSON

export interface GraphJson {
  readonly workflow: string
  readonly graph: string
  readonly entry: string
  readonly nodes: ReadonlyArray<ViewNode>
  readonly edges: ReadonlyArray<{ readonly from: string; readonly to: string; readonly kind: string; readonly parallel: boolean }>
  readonly terminal: ReadonlyArray<string>
  readonly fan_out: ReadonlyArray<{ readonly node: string; readonly targets: ReadonlyArray<string> }>
  readonly joins: ReadonlyArray<string>
  readonly subgraphs: ReadonlyArray<{ readonly node: string; readonly ref: string; readonly expanded?: GraphJson; readonly error?: string }>
}

export const toJson = (view: GraphView): GraphJson => ({
  workflow: view.workflow,
  graph: view.graph,
  entry: view.entry,
  nodes: view.nodes,
  edges: view.edges,
  terminal: view.terminal,
  fan_out: view.fanOut,
  joins: view.joins,
  subgraphs: view.subgraphs.map((s) => ({ node: s.node, ref: s.ref, ...(s.view !== undefined ? { expanded: toJson(s.view) } : {}), ...(s.error !== undefined ? { error: s.error } : {}) }))
})

/** Lines for people: each node with its inputs → outputs and where it goes. */
export const toListing = (view: GraphView): ReadonlyArray<string> => {
  const width = Math.max(...view.nodes.map((n) => n.name.length))
  return view.nodes.map((n) => {
    const out = view.edges.filter((e) => e.from === n.name).map((e) => (e.kind === "edge" ? e.to : `${e.kind}→${e.to}`))
    const notes = nodeNotes(view, n).filter((t) => t !== "entry" && t !== "not defined")
    const next = n.missing ? "(not defined in the graph)" : out.length > 0 ? `→ ${out.join(", ")}` : view.terminal.includes(n.name) ? "→ end" : ""
    return `${n.name.padEnd(width)}  ${n.missing ? "" : `${n.agent}: ${n.inputs.join(", ") || "∅"} → ${n.outputs.join(", ") || "∅"}  `}${next}${notes.length > 0 ? `  (${notes.join("; ")})` : ""}`
  })
}
