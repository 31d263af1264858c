import { describe, expect, it } from "vitest"
import type { NodeExecution } from "../../src/domain/RunResult.js"
import { evaluate } from "../../src/domain/SuccessPolicy.js"

const run = (node: string, success: boolean): NodeExecution => ({ node, agent_type: "echo", success, started_at: "", duration_ms: 0 })
const executions = [run("A", true), run("B", false), run("C", true)]

describe("success policies", () => {
  it("all_nodes fails when any node raised and names it", () => {
    const v = evaluate({ _tag: "AllNodes" }, executions)
    expect(v.ok).toBe(false)
    expect(v.failedNodes).toEqual(["B"])
    expect(v.message).toContain("B")
  })
  it("final_node only looks at the last node", () => {
    expect(evaluate({ _tag: "FinalNode" }, executions).ok).toBe(true)
    expect(evaluate({ _tag: "FinalNode" }, [run("A", true), run("Z", false)]).failedNodes).toEqual(["Z"])
  })
  it("critical_nodes only fails for critical nodes that raised", () => {
    expect(evaluate({ _tag: "CriticalNodes", nodes: ["A", "C"] }, executions).ok).toBe(true)
    expect(evaluate({ _tag: "CriticalNodes", nodes: ["B"] }, executions).ok).toBe(false)
  })
  it("custom asks the supplied predicate", () => {
    expect(evaluate({ _tag: "Custom", functionName: "p" }, executions, (e) => e.length === 3).ok).toBe(true)
    expect(evaluate({ _tag: "Custom", functionName: "p" }, executions, () => false).ok).toBe(false)
  })
})
