import * as fs from "node:fs"
import * as path from "node:path"
import { parse as parseDot } from "@ts-graphviz/ast"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ROOT, agentmap, json } from "../support/cli.js"
import { parseMermaid } from "../support/mermaid.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt,Context,Description"

/** A project with the repository's examples, a sub-folder workflow and an invalid one. */
const dir = workspace({
  "workflows/team/sales.csv": `${HEADER}\nQualify,Check,echo,,Won,Lost,lead,checked,,,"Checks the ""lead"""\nQualify,Won,echo,,,,,,,,\nQualify,Lost,echo,,,,,,,,\n`,
  "workflows/broken.csv": `${HEADER}\nB,A,echo,Nowhere,,,,,,,\n`,
  "workflows/empty.csv": `${HEADER}\n`,
  "workflows/nested.csv": `${HEADER}\nG,A,graph,B,,,,,,{workflow=::G},runs itself\nG,B,graph,C,,,,,,{workflow=missing.csv::X},runs a file that is not there\nG,C,graph,,,,,,,{workflow=::H},runs H\nH,X,graph,,,,,,,{workflow=team/sales::Qualify},runs a sub-folder workflow\n`
})
fs.cpSync(path.join(ROOT, "workflows"), path.join(dir, "workflows"), { recursive: true })
fs.copyFileSync(path.join(ROOT, "agentmap_config.yaml"), path.join(dir, "agentmap_config.yaml"))

const inspect = (...args: ReadonlyArray<string>) => agentmap(["inspect", ...args], { cwd: dir })

const examples = fs
  .readdirSync(path.join(ROOT, "workflows"))
  .filter((f) => f.endsWith(".csv"))
  .sort()
  .map((f) => f.slice(0, -4))

describe("agentmap inspect", () => {
  it.each(examples)("draws workflows/%s.csv with --expand as a flowchart Mermaid parses", async (name) => {
    const r = inspect(name, "--format", "mermaid", "--expand")
    expect([r.status, r.stderr]).toEqual([0, ""])
    expect(r.stdout.startsWith("flowchart TD\n")).toBe(true)
    await expect(parseMermaid(r.stdout)).resolves.toMatchObject({ type: "flowchart-v2" })
  })

  it("--expand draws the graph a graph node runs inside a subgraph block, linked from that node", async () => {
    const parsed = await parseMermaid(inspect("subgraph", "--format", "mermaid", "--expand").stdout)
    expect(parsed.subgraphs).toEqual(["review.csv::Review (Review)"])
    expect(parsed.labels).toEqual(expect.arrayContaining(["Review\ngraph", "Judge\nbranching"]))
    expect(parsed.edges).toContainEqual({ start: "n1", end: "s0", text: "runs", stroke: "dotted" })
    // without --expand the graph node is drawn alone
    expect((await parseMermaid(inspect("subgraph", "--format", "mermaid").stdout)).subgraphs).toEqual([])
  })

  it("--expand follows nested graphs, and names why a graph is not drawn (one it is part of, a file not there) instead of failing", async () => {
    const r = inspect("nested", "--expand", "--format", "mermaid")
    expect(r.status).toBe(0)
    const parsed = await parseMermaid(r.stdout)
    expect(parsed.subgraphs).toEqual([
      "::G: runs a graph it is part of (not drawn again)",
      expect.stringMatching(/^missing\.csv::X: 'missing\.csv' is neither next to/),
      // Mermaid lists a nested block before the block that holds it
      "team/sales::Qualify (Qualify)",
      "::H (H)"
    ])
    expect(parsed.labels).toEqual(expect.arrayContaining(["X\ngraph", "Check\necho", "Won\necho"]))
    const doc = json(inspect("nested", "--expand", "--json"))
    const subgraphs = doc["subgraphs"] as Array<{ node: string; error?: string; expanded?: { graph: string; subgraphs: Array<{ expanded?: { workflow: string; graph: string } }> } }>
    expect(subgraphs.map((s) => [s.node, s.error === undefined ? s.expanded!.graph : "error"])).toEqual([["A", "error"], ["B", "error"], ["C", "H"]])
    expect(subgraphs[2]!.expanded!.subgraphs[0]!.expanded).toMatchObject({ workflow: "team/sales", graph: "Qualify" })
  })

  it("prints, by default, the nodes with inputs → outputs and where they go, then the fenced Mermaid", () => {
    const r = inspect("fan_out")
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("Graph Research (workflows/fan_out.csv): 6 nodes, entry Start, ends after Report\n")
    expect(r.stdout).toContain("Parallel: Start → Facts | Quotes | Numbers\n")
    expect(r.stdout).toContain("Joins: Report (run once, after every branch)\n")
    expect(r.stdout).toMatch(/\n {2}Report +summary: facts, quotes, numbers_checked → report {2}→ end {2}\(join\)\n/)
    expect(r.stdout).toMatch(/\n {2}Start +echo: topic → topic_seen {2}→ Facts, Quotes, Numbers\n/)
    expect(r.stdout).toMatch(/\n```mermaid\nflowchart TD\n[\s\S]*\n```\n$/)
  })

  it("--format dot is a digraph a DOT parser reads, --json / --format json the JSON document", () => {
    const dot = inspect("branching", "--format", "dot")
    expect(dot.status).toBe(0)
    expect(parseDot(dot.stdout).type).toBe("Dot")
    expect(dot.stdout).toContain('n0 -> n1 [label="success", color="darkgreen"];')
    const doc = json(inspect("branching", "--json"))
    expect(doc).toEqual(json(inspect("branching", "--format", "json")))
    expect(doc).toMatchObject({
      valid: true,
      file: "workflows/branching.csv",
      diagnostics: [],
      workflow: "branching",
      graph: "Triage",
      entry: "CheckUrgency",
      terminal: ["Escalate", "Queue"],
      fan_out: [],
      joins: [],
      subgraphs: []
    })
    expect(doc["edges"]).toEqual([
      { from: "CheckUrgency", to: "Escalate", kind: "success", parallel: false },
      { from: "CheckUrgency", to: "Queue", kind: "failure", parallel: false }
    ])
  })

  it("draws an invalid workflow from its rows as written (exit 0), its errors on stderr and in the JSON", async () => {
    const r = inspect("broken", "--format", "mermaid")
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/workflows\/broken\.csv:2:\d+: error: .*Nowhere/)
    expect(r.stderr).toContain("⚠ workflows/broken.csv has 1 error(s): drawn from its rows as written")
    expect((await parseMermaid(r.stdout)).labels).toEqual(["A\necho", "Nowhere\n(not defined)"])
    expect(json(inspect("broken", "--json"))).toMatchObject({ valid: false, diagnostics: [expect.objectContaining({ code: "unknown-target" })] })
  })

  it("exits 3 for a workflow or graph that is not there, 2 for a file with no graph or conflicting flags", () => {
    expect(inspect("nope").status).toBe(3)
    const graph = inspect("branching", "--graph", "Nope", "--json")
    expect([graph.status, json(graph)["error"]]).toEqual([3, "GraphNotFound"])
    const empty = inspect("empty", "--json")
    expect([empty.status, json(empty)["error"]]).toEqual([2, "InvalidWorkflow"])
    const both = inspect("branching", "--json", "--format", "dot")
    expect([both.status, json(both)["error"]]).toEqual([2, "InvalidRequest"])
    expect(inspect("branching", "--format", "svg").status).toBe(2)
  })
})

describe("GET /workflows/{workflow}/graph", () => {
  let server: RunningServer
  let key: string
  beforeAll(async () => {
    key = createKey(dir, "reader", "read")
    server = await startServer(dir)
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it("answers format=mermaid with the text agentmap inspect --format mermaid prints (text/plain), sub-folders and --expand too", async () => {
    for (const [route, args] of [
      ["/workflows/fan_out/graph?format=mermaid", ["fan_out", "--format", "mermaid"]],
      ["/workflows/subgraph/graph?format=mermaid&expand=true", ["subgraph", "--format", "mermaid", "--expand"]],
      ["/workflows/team/sales/graph?format=mermaid", ["team/sales", "--format", "mermaid"]],
      ["/workflows/branching/graph?format=dot", ["branching", "--format", "dot"]]
    ] as const) {
      const r = await call(`${server.url}${route}`, { key })
      expect([route, r.status, r.headers.get("content-type")]).toEqual([route, 200, "text/plain; charset=utf-8"])
      expect(r.text).toBe(inspect(...args).stdout)
    }
  })

  it("answers JSON by default: the CLI's document without the server's file path", async () => {
    const r = await call(`${server.url}/workflows/team/sales::Qualify/graph`, { key })
    expect(r.status).toBe(200)
    const { file: _file, ...cli } = json(inspect("team/sales::Qualify", "--json"))
    expect({ ...r.body, correlation_id: undefined }).toEqual({ ...cli, correlation_id: undefined })
    expect(r.body["nodes"]).toContainEqual(expect.objectContaining({ name: "Check", description: 'Checks the "lead"' }))
  })

  it("answers 404 and 400 problem documents, 401 without a key", async () => {
    const missing = await call(`${server.url}/workflows/nope/graph?format=mermaid`, { key })
    expect([missing.status, missing.body["error"]]).toEqual([404, "WorkflowNotFound"])
    const graph = await call(`${server.url}/workflows/branching::Nope/graph`, { key })
    expect([graph.status, graph.body["error"]]).toEqual([404, "GraphNotFound"])
    const format = await call(`${server.url}/workflows/branching/graph?format=svg`, { key })
    expect([format.status, format.body]).toEqual([400, { error: "InvalidRequest", message: "format must be one of mermaid, dot, json, got 'svg'" }])
    expect((await call(`${server.url}/workflows/branching/graph`)).status).toBe(401)
  })
})
