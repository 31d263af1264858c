import { describe, expect, it } from "vitest"
import { refused, run, workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt,Context"

describe("graph agent", () => {
  it("runs a graph of the same file with mapped inputs and copies one child key back", async () => {
    const dir = workspace({
      "main.csv": [
        HEADER,
        "Main,Call,graph,Show,,,text=raw|id,picked=shout,,{workflow=::Inner}",
        "Main,Show,echo,,,,picked,shown,,",
        "Inner,Shout,echo,,,,text|id,shout,{text}!{id},",
        ""
      ].join("\n")
    })
    const result = await run(dir, { workflow: "main.csv", graph: "Main", state: { raw: "hey", id: 7 } })
    expect(result.outputs).toMatchObject({ picked: "hey!7", shown: "hey!7" })
  })

  it("runs a graph from another CSV file and keeps the whole child state under one key", async () => {
    const dir = workspace({
      "flows/parent.csv": `${HEADER}\nP,Call,GraphAgent,,,,x,child,,"{workflow=../lib/child.csv::C}"\n`,
      "lib/child.csv": `${HEADER}\nC,Double,echo,,,,x,y,{x}{x},\n`
    })
    const result = await run(dir, { workflow: "flows/parent.csv", state: { x: "ab" } })
    expect(result.outputs["child"]).toEqual({ x: "ab", y: "abab", errors: [], last_action_success: true })
  })

  it("understands the legacy forms: subgraph_name in Context, and Prompt naming the graph", async () => {
    const dir = workspace({
      "l.csv": [
        HEADER,
        "Main,One,graph,Two,,,,r1,,subgraph_name:Inner",
        "Main,Two,graph,,,,,r2,Inner,",
        "Inner,Only,success,,,,,done,,",
        ""
      ].join("\n")
    })
    const result = await run(dir, { workflow: "l.csv", graph: "Main" })
    expect((result.outputs["r1"] as Record<string, unknown>)["done"]).toBe("[Only] SuccessAgent executed")
    expect((result.outputs["r2"] as Record<string, unknown>)["done"]).toBe("[Only] SuccessAgent executed")
  })

  it("routes the parent by the child's final outcome and picks the graph from state with workflow_field", async () => {
    const dir = workspace({
      "d.csv": [
        HEADER,
        "Main,Call,graph,,Ok,Failed,,res,,{workflow_field=which}",
        "Main,Ok,echo,,,,,out,ok,",
        "Main,Failed,echo,,,,,out,failed,",
        "Good,G,success,,,,,,,",
        "Bad,B,failure,,,,,,,",
        ""
      ].join("\n")
    })
    const ran = async (which: string) => (await run(dir, { workflow: "d.csv", graph: "Main", state: { which } })).execution_summary.node_executions.map((e) => e.node)
    expect(await ran("Good")).toEqual(["Call", "Ok"])
    expect(await ran("::Bad")).toEqual(["Call", "Failed"])
  })

  it("reports a missing subgraph file or graph on the referencing node's line", async () => {
    const dir = workspace({ "m.csv": `${HEADER}\nMain,A,graph,B,,,,,,{workflow=nope.csv::X}\nMain,B,graph,,,,,,,{workflow=::Innr}\nInner,I,echo,,,,,,,\n` })
    const error = await refused(dir, { workflow: "m.csv", graph: "Main" })
    if (error._tag !== "InvalidWorkflow") throw new Error(error._tag)
    expect(error.diagnostics.filter((d) => d.severity === "error").map((d) => [d.line, d.code])).toEqual([
      [2, "missing-subgraph"],
      [3, "missing-subgraph"]
    ])
    expect(error.diagnostics[1]!.message).toContain("did you mean 'Inner'")
  })

  it("refuses graphs that run themselves through a subgraph", async () => {
    const dir = workspace({ "r.csv": `${HEADER}\nA,CallB,graph,,,,,,,{workflow=::B}\nB,CallA,graph,,,,,,,{workflow=::A}\n` })
    const error = await refused(dir, { workflow: "r.csv", graph: "A" })
    expect(JSON.stringify(error)).toContain("recursive-subgraph")
  })
})
