import * as fs from "node:fs"
import * as path from "node:path"
import { parse as parseDot } from "@ts-graphviz/ast"
import { describe, expect, it } from "vitest"
import { type GraphView, graphView } from "../../src/domain/GraphView.js"
import { toDot, toJson, toMermaid } from "../../src/domain/GraphText.js"
import { parseWorkflowCsv } from "../../src/adapters/csv/CsvParser.js"
import { validateRows } from "../../src/domain/Validation.js"
import { CORPUS, CORPUS_FOUND, corpusFiles, missingCorpus } from "../compat/corpus.js"
import { ROOT } from "../support/cli.js"
import { validateText } from "../support/csv.js"
import { parseMermaid } from "../support/mermaid.js"

const viewOf = (csv: string, graph?: string): GraphView => {
  const { workflow } = validateText(csv)
  const g = graph === undefined ? workflow.graphs[0]! : workflow.graphs.find((x) => x.name === graph)!
  return graphView("wf", g)
}

/** Every graph of a CSV file on disk, drawn as `inspect` draws it (invalid files too: from their rows as written). */
const viewsOfFile = (file: string): Array<GraphView> => {
  const { workflow } = validateRows(parseWorkflowCsv(path.basename(file), fs.readFileSync(file, "utf8")))
  return workflow.graphs.map((g) => graphView(path.basename(file, ".csv"), g))
}

/** Parses DOT with a real DOT parser (@ts-graphviz/ast) and returns the ids of its node statements and its edges. */
const dotStatements = (text: string) => {
  const ast = parseDot(text)
  const nodes: Array<string> = []
  const edges: Array<string> = []
  const visit = (node: { type: string; children?: ReadonlyArray<unknown>; id?: { value: string }; targets?: ReadonlyArray<{ id: { value: string } }> }) => {
    if (node.type === "Node") nodes.push(node.id!.value)
    if (node.type === "Edge") edges.push(node.targets!.map((t) => t.id.value).join("->"))
    for (const child of node.children ?? []) visit(child as typeof node)
  }
  visit(ast as unknown as Parameters<typeof visit>[0])
  return { nodes, edges }
}

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt,Context,Description"

describe("graph view: what inspect draws", () => {
  it("finds the fan-out, its join and the terminal node of workflows/fan_out.csv", () => {
    const [view] = viewsOfFile(path.join(ROOT, "workflows/fan_out.csv"))
    expect({ entry: view!.entry, fanOut: view!.fanOut, joins: view!.joins, terminal: view!.terminal }).toEqual({
      entry: "Start",
      fanOut: [{ node: "Start", targets: ["Facts", "Quotes", "Numbers"] }],
      joins: ["Report"],
      terminal: ["Report"]
    })
    expect(view!.edges.filter((e) => e.parallel).map((e) => e.to)).toEqual(["Facts", "Quotes", "Numbers"])
  })

  it("labels edges success, failure and func:NAME, and draws a target no row defines as not defined", () => {
    const view = viewOf(
      [HEADER, "G,A,echo,,B,C,,,,,", "G,B,echo,func:pick,D,,,,,,", "G,C,echo,,Nowhere,,,,,,", "G,D,echo,,,,,,,,"].join("\n")
    )
    expect(view.edges.map((e) => `${e.from}-${e.kind}->${e.to}`)).toEqual(["A-success->B", "A-failure->C", "B-func:pick->D", "C-success->Nowhere"])
    expect(view.nodes.find((n) => n.name === "Nowhere")).toMatchObject({ missing: true })
    expect(view.terminal).toEqual(["C", "D"])
  })

  it("does not call two alternative routes that meet a join (only parallel branches have one)", () => {
    const view = viewOf([HEADER, "G,A,echo,,B,C,,,,,", "G,B,echo,D,,,,,,,", "G,C,echo,D,,,,,,,", "G,D,echo,,,,,,,,"].join("\n"))
    expect([view.fanOut, view.joins]).toEqual([[], []])
  })
})

describe("Mermaid text", () => {
  it("escapes node names, agents and graph names that hold quotes, brackets, pipes, markup, # and unicode: Mermaid reads back exactly what the CSV says", async () => {
    const names = ['Say "hi"', "[box] | pipe", "<b>bold</b> & #1;", "naïve 日本 🚀", "back`tick`", "end", "graph"]
    // a chain, except into the name with a `|` (in a routing cell it separates targets)
    const cell = (text: string) => `"${text.replace(/"/g, '""')}"`
    const rows = names.map((n, i) => `G,${cell(n)},echo,${cell(names[i + 1]?.includes("|") === false ? names[i + 1]! : "")},,,,,,,"desc ""${i}"" [x] | y"`)
    const view = viewOf([HEADER, ...rows].join("\n"))
    const parsed = await parseMermaid(toMermaid(view))
    expect(parsed.type).toBe("flowchart-v2")
    expect(parsed.labels).toEqual(names.map((n) => `${n}\necho`))
    expect(parsed.edges.map((e) => `${e.start}->${e.end}`)).toEqual(["n1->n2", "n2->n3", "n3->n4", "n4->n5", "n5->n6"])
  })

  it("draws fan-out edges thick and labelled parallel, the join as a hexagon, terminal nodes rounded", async () => {
    const [view] = viewsOfFile(path.join(ROOT, "workflows/fan_out.csv"))
    const text = toMermaid(view!)
    expect(text).toContain('n0 ==>|"parallel"| n1')
    expect(text).toContain('n5{{"Report<br/>summary"}}')
    expect(text).toMatch(/class n5 join/)
    const parsed = await parseMermaid(text)
    expect(parsed.edges.filter((e) => e.stroke === "thick").map((e) => e.text)).toEqual(["parallel", "parallel", "parallel"])
  })

  it("refuses what Mermaid refuses (the parser used by these tests does fail)", async () => {
    await expect(parseMermaid('flowchart TD\n  a["x"y"] --> b\n')).rejects.toThrow(/Parse error/)
  })
})

describe("DOT text", () => {
  it("parses with a DOT parser, with one node statement per node and one edge per route, names with quotes and backslashes intact", () => {
    const view = viewOf([HEADER, 'G,"A ""q"" \\ b",echo,B,,,,,,,"line1', 'line2"', "G,B,echo,,,,,,,,"].join("\n"))
    const text = toDot(view)
    const { nodes, edges } = dotStatements(text)
    expect(nodes).toEqual(["n0", "n1"])
    expect(edges).toEqual(["n0->n1"])
    expect(text).toContain('label="A \\"q\\" \\\\ b\\necho"')
  })
})

describe("JSON document", () => {
  it("has nodes, edges, entry, terminal, fan_out, joins and subgraphs", () => {
    const [view] = viewsOfFile(path.join(ROOT, "workflows/fan_out.csv"))
    const json = toJson(view!)
    expect(Object.keys(json)).toEqual(["workflow", "graph", "entry", "nodes", "edges", "terminal", "fan_out", "joins", "subgraphs"])
    expect(json.nodes[0]).toEqual({ name: "Start", agent: "echo", description: "Fans out to three researchers", inputs: ["topic"], outputs: ["topic_seen"], dynamic: false, missing: false })
    expect(json.edges[0]).toEqual({ from: "Start", to: "Facts", kind: "edge", parallel: true })
  })
})

const examples = fs
  .readdirSync(path.join(ROOT, "workflows"))
  .filter((f) => f.endsWith(".csv"))
  .sort()

describe("every workflows/ example: its Mermaid parses and its DOT parses", () => {
  it.each(examples)("%s", async (file) => {
    const views = viewsOfFile(path.join(ROOT, "workflows", file))
    expect(views.length).toBeGreaterThan(0)
    for (const view of views) {
      const parsed = await parseMermaid(toMermaid(view))
      expect(parsed.labels.length).toBe(view.nodes.length)
      expect(parsed.edges.length).toBe(view.edges.length)
      expect(dotStatements(toDot(view)).edges.length).toBe(view.edges.length)
    }
  })
})

describe.skipIf(!CORPUS_FOUND)("every compatibility corpus file: its Mermaid parses and its DOT parses (invalid files are drawn from their rows as written)", () => {
  const files = corpusFiles()
  it("has the corpus", () => expect(files.length).toBeGreaterThan(40))
  it.each(files)("%s", async (file) => {
    const views = viewsOfFile(path.join(CORPUS, file))
    for (const view of views) {
      const parsed = await parseMermaid(toMermaid(view))
      expect(parsed.labels.length).toBe(view.nodes.length)
      expect(parsed.edges.length).toBe(view.edges.length)
      expect(dotStatements(toDot(view)).edges.length).toBe(view.edges.length)
    }
  })
})

if (!CORPUS_FOUND) console.warn(missingCorpus)
