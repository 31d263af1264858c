import { describe, expect, it } from "vitest"
import { analyzeHeader } from "../../src/domain/Header.js"

describe("header mapping", () => {
  it("matches canonical names and aliases case-insensitively", () => {
    const layout = analyzeHeader("f.csv", ["GRAPH_NAME", "node_NAME", "Agent", "next_on_success", "ON_FAILURE", "Prompt_Template"])
    expect(layout.positions).toEqual({ GraphName: 1, Node: 2, AgentType: 3, Success_Next: 4, Failure_Next: 5, Prompt: 6 })
    expect(layout.diagnostics).toEqual([])
  })

  it("lets the earlier alias win and warns about the other (graph beats workflow)", () => {
    const layout = analyzeHeader("f.csv", ["workflow", "graph", "name"])
    expect(layout.positions.GraphName).toBe(2)
    expect(layout.diagnostics.map((d) => [d.severity, d.code, d.column])).toEqual([["warning", "duplicate-column", 1]])
    expect(layout.diagnostics[0]!.message).toContain("'graph' (column 2)")
  })

  it("warns about unknown columns with a suggestion and errors on missing required ones", () => {
    const layout = analyzeHeader("f.csv", ["GraphName", "edges", "Prompt"])
    const summary = layout.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)
    expect(summary).toEqual(["1:2 warning unknown-column", "1:1 error missing-column"])
    expect(layout.diagnostics[0]!.message).toContain("did you mean 'Edge'")
    expect(layout.diagnostics[1]!.message).toContain("Node")
  })
})
