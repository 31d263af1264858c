import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt"
const flow = `${HEADER}\nG,A,echo,B,,,msg,a,\nG,B,echo,,,,a,b,Result: {a}\n`

describe("agentmap run", () => {
  it("prints exactly one JSON document on stdout with --json and exits 0", () => {
    const r = agentmap(["run", "flow.csv", "--state", '{"msg":"hi"}', "--json"], { cwd: workspace({ "flow.csv": flow }) })
    expect(r.status).toBe(0)
    const doc = json(r)
    expect(doc).toMatchObject({ success: true, status: "completed", graph_name: "G", outputs: { a: "hi", b: "Result: hi" } })
    expect(Object.keys(doc)).toEqual(["success", "status", "graph_name", "thread_id", "outputs", "execution_summary", "trace_id", "span_id"])
  })

  it("prints a readable table of the final state and node timings by default", () => {
    const r = agentmap(["run", "flow.csv", "--state", '{"msg":"hi"}'], { cwd: workspace({ "flow.csv": flow }) })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^✔ completed {2}graph G {2}thread [0-9a-f-]{36}/)
    expect(r.stdout).toContain("Final state")
    expect(r.stdout).toMatch(/\n {2}b +Result: hi\n/)
    expect(r.stdout).toContain("Node timings")
    expect(r.stdout).toMatch(/\n {2}A +echo +✔ +[\d.]+ ms/)
  })

  it("indents the JSON with --json --pretty", () => {
    const r = agentmap(["run", "flow.csv", "--json", "--pretty"], { cwd: workspace({ "flow.csv": flow }) })
    expect(r.stdout.split("\n")[1]).toBe('  "success": true,')
  })

  it("exits 1 for a failed run and still prints the result", () => {
    const dir = workspace({ "f.csv": `${HEADER}\nG,Bad,echo,,,,x,a|b,\n` })
    const r = agentmap(["run", "f.csv", "--state", '{"x":1}', "--json"], { cwd: dir })
    expect(r.status).toBe(1)
    expect(json(r)).toMatchObject({ success: false, status: "failed", error: { tag: "SuccessPolicyFailed" } })
  })

  it("exits 2 with diagnostics for an invalid workflow, as text and as JSON", () => {
    const dir = workspace({ "bad.csv": `${HEADER}\nG,A,echo,Nope,,,,,\nG,B,echo,Elsewhere,,,,,\n` })
    const text = agentmap(["run", "bad.csv"], { cwd: dir })
    expect(text.status).toBe(2)
    expect(text.stdout).toBe("")
    expect(text.stderr).toContain("bad.csv:2:4: error: Edge of 'A' routes to 'Nope', which is not a node of graph 'G'")
    const doc = agentmap(["run", "bad.csv", "--json"], { cwd: dir })
    expect(doc.status).toBe(2)
    expect(json(doc)).toMatchObject({ error: "InvalidWorkflow" })
    expect(json(doc)["diagnostics"]).toEqual([
      { file: "bad.csv", line: 2, column: 4, severity: "error", code: "unknown-target", message: expect.stringContaining("'Nope'") },
      { file: "bad.csv", line: 3, column: 2, severity: "warning", code: "isolated-node", message: expect.stringContaining("node 'B' is isolated") },
      { file: "bad.csv", line: 3, column: 4, severity: "error", code: "unknown-target", message: expect.stringContaining("Edge of 'B' routes to 'Elsewhere'") }
    ])
  })

  it("exits 2 for bad --state JSON, and suspends (exit 0) when an input node cannot be answered", () => {
    const dir = workspace({ "flow.csv": flow, "ask.csv": `${HEADER}\nG,Ask,input,,,,,name,Name?\n` })
    const bad = agentmap(["run", "flow.csv", "--state", "{nope", "--json"], { cwd: dir })
    expect(bad.status).toBe(2)
    expect(json(bad)).toMatchObject({ error: "InvalidRequest", message: expect.stringContaining("--state is not valid JSON") })
    const ask = agentmap(["run", "ask.csv"], { cwd: dir })
    expect(ask.status).toBe(0)
    expect(ask.stdout).toContain("⏸ suspended")
    expect(ask.stdout).toMatch(/resume with: agentmap resume [0-9a-f-]{36} --data '\{"text": "\.\.\."\}'/)
  })

  it("exits 3 for a missing file or graph, listing the graphs there are", () => {
    const dir = workspace({ "flow.csv": flow })
    expect(agentmap(["run", "missing.csv"], { cwd: dir }).status).toBe(3)
    const graph = agentmap(["run", "flow.csv", "--graph", "Gx", "--json"], { cwd: dir })
    expect(graph.status).toBe(3)
    expect(json(graph)).toMatchObject({ error: "GraphNotFound", message: expect.stringContaining("did you mean 'G'") })
  })

  it("exits 2 on usage errors, with a JSON error document when --json is given", () => {
    const dir = workspace({ "flow.csv": flow })
    const r = agentmap(["run", "flow.csv", "--bogus"], { cwd: dir })
    expect(r.status).toBe(2)
    const j = agentmap(["run", "flow.csv", "--json", "--bogus"], { cwd: dir })
    expect(j.status).toBe(2)
    expect(json(j)).toMatchObject({ error: "UsageError" })
  })
})

describe("workflow addressing", () => {
  const files = {
    "workflows/sales.csv": `${HEADER}\nQualify,Q,echo,,,,,q,qualified\nClose,C,echo,,,,,c,closed\n`,
    "workflows/team/ops.csv": `${HEADER}\nTriage,T,echo,,,,,t,triaged\n`,
    "secret.csv": `${HEADER}\nS,S,echo,,,,,s,secret\n`
  }
  const graphOf = (args: ReadonlyArray<string>) => {
    const r = agentmap(["run", ...args, "--json"], { cwd: workspace(files) })
    return r.status === 0 ? json(r)["graph_name"] : `exit ${r.status}`
  }

  it("finds repository workflows as name, name::Graph, name/Graph and sub/folder::Graph", () => {
    expect(graphOf(["sales"])).toBe("Qualify")
    expect(graphOf(["sales::Close"])).toBe("Close")
    expect(graphOf(["sales/Close"])).toBe("Close")
    expect(graphOf(["team/ops::Triage"])).toBe("Triage")
    expect(graphOf(["team/ops"])).toBe("Triage")
    expect(graphOf(["sales", "--graph", "Close"])).toBe("Close")
  })

  it("refuses names that climb out of the repository and reports unknown names as not found", () => {
    expect(graphOf(["../secret"])).toBe("exit 2")
    expect(graphOf(["team/../../secret"])).toBe("exit 2")
    expect(graphOf(["/etc/passwd"])).toBe("exit 2")
    expect(graphOf(["sale"])).toBe("exit 3")
  })

  it("warns on stderr when a file holds several graphs and none was chosen", () => {
    const r = agentmap(["run", "sales", "--json"], { cwd: workspace(files) })
    expect(r.stderr).toContain("holds 2 graphs; running the first, 'Qualify' (others: Close)")
  })
})
