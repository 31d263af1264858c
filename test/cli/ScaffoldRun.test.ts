import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Prompt,Input_Fields,Output_Field,Edge,Success_Next,Failure_Next"

/** Two custom agent types nobody wrote (one with two Output_Fields) and a routing function without a module. */
const FLOW = [
  HEADER,
  "Main,Gather,Aggregator,Collect {topic},topic,notes,,Split,Oops",
  "Main,Split,splitter_agent,,notes,left|right,func:choose,Done,Oops",
  "Main,Done,echo,,left,out,,,",
  "Main,Oops,echo,,topic,out,,,"
].join("\n")

const files = (dir: string): ReadonlyArray<string> =>
  (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<fs.Dirent>)
    .filter((e) => e.isFile() && !e.parentPath.includes(".agentmap") && !e.parentPath.includes("cache"))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort()

describe("scaffold, then run with no other step", () => {
  it("creates three stubs, the workflow runs to completion, and a second scaffold creates nothing", () => {
    const dir = workspace({ "flow.csv": FLOW })
    expect(agentmap(["validate", "flow.csv"], { cwd: dir }).status).toBe(2)

    const first = agentmap(["scaffold", "flow.csv", "--json"], { cwd: dir })
    expect(first.status).toBe(0)
    expect(json(first)).toMatchObject({ created: 3, skipped: 0 })
    expect(files(dir)).toEqual(["custom_agents/aggregator.ts", "custom_agents/splitter.ts", "flow.csv", "functions/choose.ts"])

    const valid = agentmap(["validate", "flow.csv"], { cwd: dir })
    expect(valid.stdout).toContain("✔ flow.csv is valid")
    expect(valid.status).toBe(0)

    const run = agentmap(["run", "flow.csv", "--state", `{"topic":"bees"}`, "--json"], { cwd: dir })
    expect(run.status).toBe(0)
    const result = json(run) as { status: string; outputs: Record<string, unknown>; execution_summary: { node_executions: Array<{ node: string }> } }
    expect(result.status).toBe("completed")
    expect(result.execution_summary.node_executions.map((e) => e.node)).toEqual(["Gather", "Split", "Done"])
    expect(String(result.outputs["notes"])).toContain("[scaffold placeholder] aggregator agent, node Gather")
    expect(String(result.outputs["left"])).toContain("[scaffold placeholder] splitter agent, node Split")
    expect(result.outputs["out"]).toBe(result.outputs["left"])

    const before = Object.fromEntries(files(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]))
    const second = agentmap(["scaffold", "flow.csv", "--json"], { cwd: dir })
    expect(second.status).toBe(0)
    expect(json(second)).toMatchObject({ created: 0, skipped: 3 })
    expect(Object.fromEntries(files(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]))).toEqual(before)
  })
})
