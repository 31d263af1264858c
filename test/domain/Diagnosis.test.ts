import { describe, expect, it } from "vitest"
import { type Check, fail, ok, overall, warn, workflowNeeds } from "../../src/domain/Diagnosis.js"
import { validateText } from "../support/csv.js"

const HEADER = "GraphName,Node,AgentType,Prompt,Input_Fields,Output_Field,Success_Next,Context"

describe("what a workflow needs, from its CSV alone", () => {
  it("names the provider each model-calling node uses: its own agent type, Context provider, else llm.default_provider; a summary only with Context llm", () => {
    const { workflow } = validateText(
      [
        HEADER,
        "G,A,openai,hi,,a,B,",
        "G,B,llm,hi,,b,C,",
        'G,C,llm,hi,,c,D,"{""provider"": ""claude""}"',
        "G,D,summary,,a|b,s,E,",
        'G,E,summary,,a|b,t,F,"{""llm"": ""gemini""}"',
        "G,F,human,ok?,,f,,"
      ].join("\n")
    )
    const needs = workflowNeeds(workflow.graphs, "anthropic")
    expect(needs.providers).toEqual([
      { provider: "openai", nodes: ["A"] },
      { provider: "anthropic", nodes: ["B", "C"] },
      { provider: "google", nodes: ["E"] }
    ])
    expect(needs.agentTypes.map((t) => [t.type, t.builtin, t.nodes])).toEqual([
      ["openai", true, ["A"]],
      ["llm", true, ["B", "C"]],
      ["summary", true, ["D", "E"]],
      ["human", true, ["F"]]
    ])
    expect(needs.suspending).toEqual(["F"])
  })

  it("labels nodes Graph.Node when the file holds several graphs, and counts a custom agent as possibly suspending", () => {
    const { workflow } = validateText([HEADER, "One,X,echo,,,x,,", "Two,Y,weather,,,y,,"].join("\n"))
    const needs = workflowNeeds(workflow.graphs, "openai")
    expect(needs.agentTypes).toEqual([
      { type: "echo", builtin: true, nodes: ["One.X"] },
      { type: "weather", builtin: false, nodes: ["Two.Y"] }
    ])
    expect(needs.suspending).toEqual(["Two.Y"])
  })
})

describe("the overall status", () => {
  it("is the worst check: any ✖ is error, else any ⚠ is warn", () => {
    const checks: ReadonlyArray<Check> = [ok("a", "b", "fine"), warn("a", "c", "meh", "do x")]
    expect(overall(checks)).toBe("warn")
    expect(overall([...checks, fail("a", "d", "bad", "do y")])).toBe("error")
    expect(overall([])).toBe("ok")
  })
})
