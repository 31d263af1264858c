import { describe, expect, it } from "vitest"
import { refused, run, workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt"
const nodesRun = (result: { execution_summary: { node_executions: ReadonlyArray<{ node: string }> } }) =>
  result.execution_summary.node_executions.map((e) => e.node)

describe("routing functions", () => {
  it("route with a TypeScript function from the functions folder, given the success and failure targets", async () => {
    const dir = workspace({
      "functions/by_score.ts": `
        type State = Record<string, unknown>
        export function by_score(state: State, success: string | null, failure: string | null): string | null {
          return (state.score as number) >= 50 ? success : failure
        }`,
      "r.csv": `${HEADER}\nG,Score,echo,,func:by_score,Low,score,seen,\nG,High,echo,,,,,result,high {seen}\nG,Low,echo,,,,,result,low\n`.replace(
        "func:by_score,Low",
        "func:by_score,Low"
      )
    })
    // Success_Next holds the function; Failure_Next (Low) is passed as the failure target
    const low = await run(dir, { workflow: "r.csv", state: { score: 10 } })
    expect(nodesRun(low)).toEqual(["Score", "Low"])
    const high = await run(dir, { workflow: "r.csv", state: { score: 90 } })
    expect(nodesRun(high)).toEqual(["Score"])
  })

  it("can fan out to several nodes and end the branch, from a JavaScript module's default export", async () => {
    const dir = workspace({
      "functions/spread.mjs": `export default (state) => state.mode === "both" ? ["A", "B"] : null`,
      "r.csv": `${HEADER}\nG,Start,echo,func:spread,,,,,\nG,A,echo,,,,,a,x{mode}\nG,B,echo,,,,,b,y{mode}\n`
    })
    expect(nodesRun(await run(dir, { workflow: "r.csv", state: { mode: "both" } })).sort()).toEqual(["A", "B", "Start"])
    expect(nodesRun(await run(dir, { workflow: "r.csv", state: { mode: "none" } }))).toEqual(["Start"])
  })

  it("fails the run when a function returns a name that is not a node", async () => {
    const dir = workspace({
      "functions/wrong.js": `export function wrong() { return "Nowhere" }`,
      "r.csv": `${HEADER}\nG,Start,echo,func:wrong,,,,,\nG,A,echo,,,,,,\n`
    })
    const result = await run(dir, { workflow: "r.csv" })
    expect(result.status).toBe("failed")
    expect(result.error).toEqual({ tag: "RoutingError", message: expect.stringContaining("'Nowhere'") })
  })

  it("refuses to start when the function does not exist", async () => {
    const dir = workspace({ "r.csv": `${HEADER}\nG,Start,echo,func:missing,,,,,\n` })
    const error = await refused(dir, { workflow: "r.csv" })
    expect(error._tag).toBe("InvalidWorkflow")
    expect(JSON.stringify(error)).toContain("missing.ts")
  })
})

describe("success policies", () => {
  const csv = `${HEADER}\nG,Bad,echo,Last,,,x,a|b,\nG,Last,echo,,,,,,\n`
  it("final_node ignores an earlier raising node", async () => {
    const dir = workspace({ "p.csv": csv, "agentmap_config.yaml": "execution:\n  success_policy: final_node\n" })
    expect((await run(dir, { workflow: "p.csv", state: { x: 1 } })).status).toBe("completed")
  })
  it("critical_nodes fails only for the listed nodes", async () => {
    const listed = workspace({ "p.csv": csv, "agentmap_config.yaml": "execution:\n  success_policy:\n    type: critical_nodes\n    critical_nodes: [Bad]\n" })
    const result = await run(listed, { workflow: "p.csv", state: { x: 1 } })
    expect(result.status).toBe("failed")
    expect(result.error?.message).toContain("Bad")
    const other = workspace({ "p.csv": csv, "agentmap_config.yaml": "execution:\n  success_policy:\n    type: critical_nodes\n    critical_nodes: [Last]\n" })
    expect((await run(other, { workflow: "p.csv", state: { x: 1 } })).status).toBe("completed")
  })
  it("custom asks a user function with the node executions", async () => {
    const dir = workspace({
      "p.csv": csv,
      "functions/two_nodes.js": "export const two_nodes = (executions) => executions.length === 2",
      "agentmap_config.yaml": "execution:\n  success_policy:\n    type: custom\n    custom_function: two_nodes\n"
    })
    expect((await run(dir, { workflow: "p.csv", state: { x: 1 } })).status).toBe("completed")
  })
})
