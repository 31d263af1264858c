import { describe, expect, it } from "vitest"
import { refused, run, withApp, workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt,Context"

describe("input agent", () => {
  const files = { "i.csv": `${HEADER}\nG,Ask,input,Greet,,,,name,What is your name?,\nG,Greet,echo,,,,name,greeting,Hello {name},\n` }

  it("uses a value already in the state without asking", async () => {
    const result = await run(workspace(files), { workflow: "i.csv", state: { name: "Ada" } }, { answers: [] })
    expect(result.outputs["greeting"]).toBe("Hello Ada")
  })

  it("asks on an interactive terminal", async () => {
    const result = await run(workspace(files), { workflow: "i.csv" }, { answers: ["Grace"] })
    expect(result.outputs["greeting"]).toBe("Hello Grace")
  })

  it("suspends the run when nobody can answer, and takes the value from the resume", async () => {
    const dir = workspace(files)
    const first = await run(dir, { workflow: "i.csv" })
    expect(first.status).toBe("suspended")
    expect(first.interrupt).toEqual({ node: "Ask", type: "input", payload: { prompt: "What is your name?", field: "name" } })
    const resumed = await withApp(dir, (s) => s.resume({ thread_id: first.thread_id, data: { text: "Lin" } }))
    if (resumed._tag === "Left") throw new Error(resumed.left.message)
    expect(resumed.right.result.outputs["greeting"]).toBe("Hello Lin")
  })
})

describe("echo, default, success and failure agents", () => {
  it("behave as the contract says", async () => {
    const dir = workspace({
      "a.csv": [
        HEADER,
        "G,E1,echo,E2,,,,e1,All done,",
        "G,E2,echo,E3,,,x,e2,,",
        "G,E3,echo,D1,,,x|y,e3,,",
        "G,D1,default,D2,,,x,d1,Prompt for {x},",
        "G,D2,,S,,,,d2,,",
        "G,S,success,,F,,,s,,",
        "G,F,failure,,,,,f,why,",
        ""
      ].join("\n")
    })
    const out = (await run(dir, { workflow: "a.csv", state: { x: 1, y: [2] } })).outputs
    expect(out).toMatchObject({
      e1: "No input provided to echo",
      e2: 1,
      e3: { x: 1, y: [2] },
      d1: "[D1] DefaultAgent executed with prompt: 'Prompt for 1'",
      d2: "[D2] DefaultAgent executed",
      s: "[S] SuccessAgent executed",
      f: "[F] FailureAgent executed with prompt: 'why'",
      last_action_success: false
    })
  })
})

describe("branching agent", () => {
  const dir = workspace({
    "b.csv": [
      HEADER,
      "G,B,branching,,Y,N,flag,,,",
      "G,Y,echo,,,,,route,yes,",
      "G,N,echo,,,,,route,no,",
      "H,B,branching,,Y,N,status,,,\"{\"\"success_field\"\": \"\"status\"\", \"\"success_values\"\": [\"\"approved\"\", \"\"ok\"\"]}\"",
      "H,Y,echo,,,,,route,yes,",
      "H,N,echo,,,,,route,no,",
      ""
    ].join("\n")
  })
  it.each([
    ["yes", "yes"],
    ["TRUE", "yes"],
    ["success", "yes"],
    ["1", "yes"],
    [true, "yes"],
    ["no", "no"],
    [false, "no"],
    [0, "no"]
  ])("takes the %s route by truthy strings", async (flag, expected) => {
    const nodes = (await run(dir, { workflow: "b.csv", graph: "G", state: { flag } })).execution_summary.node_executions
    expect(nodes.map((n) => n.node)).toEqual(["B", expected === "yes" ? "Y" : "N"])
  })
  it("uses success_field and success_values from Context", async () => {
    const last = async (status: string) =>
      (await run(dir, { workflow: "b.csv", graph: "H", state: { status } })).execution_summary.node_executions[1]!.node
    expect(await last("Approved")).toBe("Y")
    expect(await last("yes")).toBe("N")
  })
})

describe("prompt references", () => {
  it("resolves prompt:, file: and yaml: before the node runs and fills placeholders", async () => {
    const dir = workspace({
      "prompts/registry.yaml": "greet: 'Hi {name} from the registry'\n",
      "prompts/bye.txt": "Bye {name}\n",
      "prompts/nested.yaml": "a:\n  b:\n    c: 'Deep {name}'\n",
      "p.csv": `${HEADER}\nG,R,echo,F,,,name,r,prompt:greet,\nG,F,echo,Y,,,name,f,file:bye.txt,\nG,Y,echo,,,,name,y,yaml:nested.yaml#a.b.c,\n`
    })
    const out = (await run(dir, { workflow: "p.csv", state: { name: "Ada" } })).outputs
    expect(out).toMatchObject({ r: "Hi Ada from the registry", f: "Bye Ada", y: "Deep Ada" })
  })

  it("refuses to run with a missing prompt, naming the reference", async () => {
    const dir = workspace({ "p.csv": `${HEADER}\nG,R,echo,,,,,r,prompt:nope,\n` })
    const error = await refused(dir, { workflow: "p.csv" })
    expect(error._tag).toBe("InvalidWorkflow")
    expect(JSON.stringify(error)).toContain("prompt:nope")
  })
})

describe("agent type suggestions", () => {
  it("suggests the built-in type a near-miss meant, as an error (run would refuse the file)", async () => {
    const dir = workspace({ "t.csv": "GraphName,Node,AgentType\nG,A,ecoh\n" })
    const report = await withApp(dir, (s) => s.validate({ workflow: "t.csv" }))
    if (report._tag === "Left") throw new Error(report.left.message)
    expect(report.right.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("unknown agent type 'ecoh' for node 'A' (did you mean 'echo'?)")])
    expect(report.right.diagnostics.map((d) => d.severity)).toEqual(["error"])
    expect(report.right.valid).toBe(false)
  })
})
