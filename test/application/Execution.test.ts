import { describe, expect, it } from "vitest"
import { refused, run, workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt,Context"

describe("running workflows", () => {
  it("runs a chain and returns the result document", async () => {
    const dir = workspace({ "flow.csv": `${HEADER}\nG,A,echo,B,,,msg,a,,\nG,B,echo,C,,,a,b,,\nG,C,echo,,,,b,c,"got {b}",\n` })
    const result = await run(dir, { workflow: "flow.csv", state: { msg: "hi" } })
    expect(result).toMatchObject({
      success: true,
      status: "completed",
      graph_name: "G",
      outputs: { msg: "hi", a: "hi", b: "hi", c: "got hi", errors: [], last_action_success: true }
    })
    expect(result.thread_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(result.execution_summary.node_executions.map((e) => [e.node, e.agent_type, e.success])).toEqual([
      ["A", "echo", true],
      ["B", "echo", true],
      ["C", "echo", true]
    ])
    expect(Date.parse(result.execution_summary.ended_at)).toBeGreaterThanOrEqual(Date.parse(result.execution_summary.started_at))
  })

  it("routes by outcome and sets last_action_success per node; a chosen failure route is not a failed node", async () => {
    const dir = workspace({
      "b.csv": `${HEADER}\nG,Check,branching,,Yes,No,answer,decision,,\nG,Yes,default,,,,,out,yes path,\nG,No,failure,,,,,out,no path,\n`
    })
    const yes = await run(dir, { workflow: "b.csv", state: { answer: "yes" } })
    expect(yes.outputs["out"]).toBe("[Yes] DefaultAgent executed with prompt: 'yes path'")
    expect(yes.outputs["last_action_success"]).toBe(true)
    const no = await run(dir, { workflow: "b.csv", state: { answer: "nope" } })
    expect(no.outputs["out"]).toBe("[No] FailureAgent executed with prompt: 'no path'")
    expect(no.outputs["last_action_success"]).toBe(false)
    expect(no.status).toBe("completed")
    expect(no.execution_summary.node_executions.every((e) => e.success)).toBe(true)
  })

  it("ends the graph when only one of Success_Next/Failure_Next is given and the other outcome happens", async () => {
    const dir = workspace({ "f.csv": `${HEADER}\nG,Start,failure,,Next,,,,,\nG,Next,echo,,,,,,,\n` })
    const result = await run(dir, { workflow: "f.csv" })
    expect(result.execution_summary.node_executions.map((e) => e.node)).toEqual(["Start"])
  })

  it("records a raising node's error, writes none of its outputs, takes Failure_Next and fails all_nodes", async () => {
    const dir = workspace({
      // two outputs but echo returns a string: the node raises
      "e.csv": `${HEADER}\nG,Bad,echo,,Ok,Handle,x,a|b,,\nG,Ok,echo,,,,,,,\nG,Handle,echo,,,,error,handled,,\n`
    })
    const result = await run(dir, { workflow: "e.csv", state: { x: "text" } })
    expect(result.status).toBe("failed")
    expect(result.success).toBe(false)
    expect(result.outputs["a"]).toBeUndefined()
    expect(result.outputs["handled"]).toContain("Output_Field 'a|b'")
    expect(result.outputs["errors"]).toEqual([{ node: "Bad", type: "OutputMismatch", message: expect.stringContaining("a|b") }])
    expect(result.outputs["last_action_success"]).toBe(true)
    expect(result.error).toEqual({ tag: "SuccessPolicyFailed", message: expect.stringContaining("Bad") })
    expect(result.execution_summary.node_executions.map((e) => [e.node, e.success])).toEqual([
      ["Bad", false],
      ["Handle", true]
    ])
  })

  it("joins a fan-out exactly once when branches differ in length, accumulating errors across branches", async () => {
    const dir = workspace({
      "p.csv": [
        HEADER,
        "G,Start,echo,A|B|C,,,,,,",
        "G,A,echo,Join,,,x,a|b,,", // raises
        "G,B,echo,Join,,,,b_out,,",
        "G,C,echo,C2,,,x,c|d,,", // raises
        "G,C2,echo,C3,,,,c2,,",
        "G,C3,echo,Join,,,,c3,,",
        "G,Join,echo,,,,b_out|c3,joined,,",
        ""
      ].join("\n")
    })
    const result = await run(dir, { workflow: "p.csv", state: { x: "v" } })
    const order = result.execution_summary.node_executions.map((e) => e.node)
    expect(order.filter((n) => n === "Join")).toHaveLength(1)
    expect(order[order.length - 1]).toBe("Join")
    expect(new Set(order)).toEqual(new Set(["Start", "A", "B", "C", "C2", "C3", "Join"]))
    expect((result.outputs["errors"] as Array<{ node: string }>).map((e) => e.node).sort()).toEqual(["A", "C"])
    expect(result.outputs["joined"]).toEqual({ b_out: "No input provided to echo", c3: "No input provided to echo" })
  })

  it("sets last_action_success false after a parallel step where any branch failed", async () => {
    const dir = workspace({ "p.csv": `${HEADER}\nG,Start,echo,A|B,,,,,,\nG,A,failure,,,,,,,\nG,B,success,,,,,,,\n` })
    const result = await run(dir, { workflow: "p.csv" })
    expect(result.outputs["last_action_success"]).toBe(false)
  })

  it("has no 25-step wall, and stops a runaway loop with a clear failure", async () => {
    const chain = Array.from({ length: 60 }, (_, i) => `G,N${i},echo,${i < 59 ? `N${i + 1}` : ""},,,,,,`)
    const dir = workspace({
      "long.csv": `${HEADER}\n${chain.join("\n")}\n`,
      "loop.csv": `${HEADER}\nL,A,echo,B,,,,,,\nL,B,echo,A,,,,,,\n`
    })
    expect((await run(dir, { workflow: "long.csv" })).execution_summary.node_executions).toHaveLength(60)
    const loop = await run(dir, { workflow: "loop.csv" })
    expect(loop.status).toBe("failed")
    expect(loop.error?.tag).toBe("StepLimitExceeded")
    expect(loop.error?.message).toContain("execution.max_steps")
  })

  it("joins inputs with the summary agent", async () => {
    const dir = workspace({
      "s.csv": `${HEADER}\nG,Sum,summary,,,,a|missing|b,out,,\nG2,Sum,summary,,,,a|b,out,,"{""format"": ""{key}={value}"", ""separator"": "";""}"\n`
    })
    expect((await run(dir, { workflow: "s.csv", graph: "G", state: { a: "one", b: 2 } })).outputs["out"]).toBe("a: one\n\nb: 2")
    expect((await run(dir, { workflow: "s.csv", graph: "G2", state: { a: "one", b: 2 } })).outputs["out"]).toBe("a=one;b=2")
  })

  it("refuses an invalid workflow with its diagnostics, and an unknown agent type at run time", async () => {
    const dir = workspace({ "bad.csv": `${HEADER}\nG,A,echo,Nowhere,,,,,,\nG,B,mystery,,,,,,,\n` })
    const error = await refused(dir, { workflow: "bad.csv" })
    expect(error._tag).toBe("InvalidWorkflow")
    if (error._tag !== "InvalidWorkflow") return
    expect(error.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      "2:4 error unknown-target",
      "3:2 warning isolated-node",
      "3:3 error unknown-agent"
    ])
  })
})
