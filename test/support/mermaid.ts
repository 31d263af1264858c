import { createRequire } from "node:module"

// jsdom ships no types; only its constructor is used
const { JSDOM } = createRequire(import.meta.url)("jsdom") as { JSDOM: new (html: string) => { window: unknown } }

/** What Mermaid's own parser made of a flowchart: its vertices' label texts and its edges. */
export interface ParsedFlowchart {
  readonly type: string
  readonly labels: ReadonlyArray<string>
  readonly edges: ReadonlyArray<{ readonly start: string; readonly end: string; readonly text: string; readonly stroke: string }>
  readonly subgraphs: ReadonlyArray<string>
}

interface FlowDb {
  getVertices(): Map<string, { text?: string }>
  getEdges(): Array<{ start: string; end: string; text?: string; stroke?: string }>
  getSubGraphs(): Array<{ id: string; title: string }>
}

type Mermaid = {
  parse(text: string): Promise<{ diagramType: string }>
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ db: FlowDb; type: string }> }
}

const NAMED: Readonly<Record<string, string>> = { quot: '"', lt: "<", gt: ">", amp: "&", nbsp: "\u00a0" }

/** A label as it is shown: Mermaid's entity placeholders decoded, line breaks as newlines. */
const shown = (text: string) =>
  text
    .replace(/ﬂ°°(\d+)¶ß/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/ﬂ°(\w+)¶ß/g, (_, name: string) => NAMED[name] ?? `&${name};`)
    .replace(/<br\s*\/?>/gi, "\n")

let loading: Promise<Mermaid> | undefined

/**
 * The `mermaid` package's parser in Node: it sanitizes labels with DOMPurify, which needs a
 * window (jsdom's), created before mermaid is first imported.
 */
const load = () =>
  (loading ??= (async () => {
    const g = globalThis as { window?: unknown }
    if (g.window === undefined) g.window = new JSDOM("").window
    return (await import("mermaid")).default as unknown as Mermaid
  })())

/** Parses `text` with Mermaid (rejects with Mermaid's parse error), then reads back what it understood. */
export const parseMermaid = async (text: string): Promise<ParsedFlowchart> => {
  const mermaid = await load()
  const { diagramType } = await mermaid.parse(text)
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text)
  const db = diagram.db
  return {
    type: diagramType,
    labels: [...db.getVertices().values()].map((v) => shown(v.text ?? "")),
    edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, text: shown(e.text ?? ""), stroke: e.stroke ?? "" })),
    subgraphs: db.getSubGraphs().map((s) => shown(s.title))
  }
}
