import { describe, expect, it } from "vitest"
import { format } from "../../src/domain/Diagnostic.js"
import { lines, validateText } from "../support/csv.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field"

describe("workflow validation", () => {
  it("builds graphs in row order with the first row as entry", () => {
    const { workflow, diagnostics } = validateText(`${HEADER}\nG,B,echo,C,,,x,y\nG,C,echo,,,,y,z\nH,Only,default,,,,,\n`)
    expect(diagnostics).toEqual([])
    expect(workflow.graphs.map((g) => [g.name, g.entry, g.nodes.length])).toEqual([
      ["G", "B", 2],
      ["H", "Only", 1]
    ])
  })

  it("reports every problem at once, each with line and column", () => {
    const text = [
      HEADER,
      "G,Start,echo,Next,Done,,,", // Edge + Success_Next
      "G,Next,echo,Dnoe,,,,", // near miss
      "G,Done,echo,,,,bad name,out",
      "G,Done,echo,,,,,", // duplicate
      ""
    ].join("\n")
    expect(lines(text)).toEqual([
      "2:5: warning: edge-conflict",
      "3:4: error: unknown-target",
      "4:2: error: duplicate-node",
      // Edge wins over Success_Next on line 2: nothing leads to Done any more
      "4:2: warning: isolated-node",
      "4:7: error: invalid-field",
      "5:2: error: duplicate-node"
    ])
    const unknown = validateText(text).diagnostics.find((d) => d.code === "unknown-target")!
    expect(format(unknown)).toBe(
      "wf.csv:3:4: error: Edge of 'Next' routes to 'Dnoe', which is not a node of graph 'G' (did you mean 'Done'?)"
    )
  })

  it("warns about isolated and unreachable nodes and cycles with no way out", () => {
    const text = [HEADER, "G,A,echo,B,,,,", "G,B,echo,A,,,,", "G,Lonely,echo,,,,,", "G,Orphan,echo,A,,,,", ""].join("\n")
    expect(lines(text)).toEqual([
      "2:2: warning: cycle-no-exit",
      "4:2: warning: isolated-node",
      "5:2: warning: unreachable-node"
    ])
  })

  it("does not call a loop with a failure exit inescapable", () => {
    const text = [HEADER, "G,A,echo,,B,End,,", "G,B,echo,A,,,,", "G,End,echo,,,,,", ""].join("\n")
    expect(lines(text)).toEqual([])
  })

  it("warns when parallel branches write the same key", () => {
    const text = [HEADER, "G,S,echo,A|B,,,,", "G,A,echo,J,,,,same", "G,B,echo,J,,,,same", "G,J,echo,,,,,", ""].join("\n")
    expect(lines(text)).toEqual(["4:8: warning: parallel-write"])
  })

  it("reads func: routing and keeps success/failure targets for the function", () => {
    const { workflow, diagnostics } = validateText(`${HEADER}\nG,A,echo,,func:choose,B,,\nG,B,echo,,,,,\n`)
    expect(diagnostics).toEqual([])
    expect(workflow.graphs[0]!.nodes[0]!.routing).toEqual({ _tag: "Function", name: "choose", success: [], failure: ["B"] })
  })

  it("rejects node names LangGraph cannot hold and graph nodes without a subgraph", () => {
    const text = `GraphName,Node,AgentType,Context\nG,a:b,echo,\nG,Sub,graph,\n`
    expect(lines(text)).toEqual(expect.arrayContaining(["2:2: error: invalid-node-name", "3:4: error: missing-subgraph"]))
  })

  it("reports a missing Node column and an empty file", () => {
    expect(lines("GraphName,Agent\nG,echo\n")).toContain("1:1: error: missing-column")
    expect(lines("GraphName,Node\n")).toEqual(["1:1: error: empty-workflow"])
  })
})
