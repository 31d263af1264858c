import * as fs from "node:fs"
import * as path from "node:path"
import { transformSync } from "esbuild"
import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Prompt,Input_Fields,Output_Field,Edge,Success_Next,Failure_Next,Tool_Source,Available_Tools"

/** Two unknown agent types, a routing function and a tool module named the upstream way (.py). */
const FLOW = [
  HEADER,
  "Main,Start,Aggregator,Combine {a},a,total,,Split,End,,",
  "Main,Split,splitter_agent,,total,left|right,func:choose,Done,End,,",
  "Main,Done,echo,,left,out,,,,,",
  "Main,End,echo,,total,out,,,,,",
  `Other,Calc,tool,,x|y,sum,,,,examples/tools/calculator_tools.py,"add(""Adds two numbers"")|multiply"`
].join("\n")

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), "utf8")

/** Every file under dir (relative paths), to show what a command wrote. */
const tree = (dir: string): ReadonlyArray<string> =>
  (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<fs.Dirent>)
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort()

const snapshot = (dir: string) => Object.fromEntries(tree(dir).map((f) => [f, read(dir, f)]))

type Entry = { kind: string; name: string; file: string; status: string; reason?: string; used_by: Array<{ graph: string; node: string; line: number }> }

describe("agentmap scaffold", () => {
  it("writes a stub for each unknown agent type, routing function and missing tool, and prints them as a table", () => {
    const dir = workspace({ "flow.csv": FLOW })
    const r = agentmap(["scaffold", "flow.csv"], { cwd: dir })
    expect(r.status).toBe(0)
    expect(r.stderr).toBe("")
    expect(tree(dir)).toEqual(["custom_agents/aggregator.ts", "custom_agents/splitter.ts", "custom_tools/calculator_tools.ts", "flow.csv", "functions/choose.ts"])
    const lines = r.stdout.split("\n").map((l) => l.trim().split(/\s{2,}/))
    expect(lines[0]).toEqual(["kind", "name", "status", "file", "used by / reason"])
    expect(lines.slice(2, 7)).toEqual([
      ["agent", "aggregator", "created", "custom_agents/aggregator.ts", "Main/Start (line 2)"],
      ["agent", "splitter", "created", "custom_agents/splitter.ts", "Main/Split (line 3)"],
      ["function", "choose", "created", "functions/choose.ts", "Main/Split (line 3)"],
      ["tool", "add", "created", "custom_tools/calculator_tools.ts", "Other/Calc (line 6)"],
      ["tool", "multiply", "created", "custom_tools/calculator_tools.ts", "Other/Calc (line 6)"]
    ])
    expect(r.stdout).toContain("Created 5 stubs, 0 skipped (flow.csv)")
    expect(read(dir, "custom_agents/splitter.ts")).toContain("export default defineAgent({")
    expect(read(dir, "custom_agents/splitter.ts")).toContain("- graph Main, node Split (flow.csv line 3, AgentType splitter_agent)")
    expect(read(dir, "functions/choose.ts")).toContain("export function choose(")
    expect(read(dir, "custom_tools/calculator_tools.ts")).toContain(`export const multiply = defineTool({`)
    for (const file of tree(dir).filter((f) => f.endsWith(".ts"))) expect(() => transformSync(read(dir, file), { loader: "ts", format: "esm" }), file).not.toThrow()
  })

  it("scaffolding twice changes nothing: the second run skips every stub", () => {
    const dir = workspace({ "flow.csv": FLOW })
    expect(agentmap(["scaffold", "flow.csv"], { cwd: dir }).status).toBe(0)
    const before = snapshot(dir)
    const again = agentmap(["scaffold", "flow.csv", "--json"], { cwd: dir })
    expect(again.status).toBe(0)
    expect(snapshot(dir)).toEqual(before)
    const doc = json(again) as { created: number; skipped: number; entries: Array<Entry> }
    expect(doc.created).toBe(0)
    expect(doc.skipped).toBe(5)
    expect(doc.entries.map((e) => [e.name, e.status, e.reason])).toEqual([
      ["aggregator", "skipped", "exists (--overwrite replaces it)"],
      ["splitter", "skipped", "exists (--overwrite replaces it)"],
      ["choose", "skipped", "exists (--overwrite replaces it)"],
      ["add", "skipped", "the module defines it (found by a text scan)"],
      ["multiply", "skipped", "the module defines it (found by a text scan)"]
    ])
  })

  it("--json prints one document with every stub, its file and the rows that use it", () => {
    const dir = workspace({ "flow.csv": FLOW })
    const doc = json(agentmap(["scaffold", "--csv", "flow.csv", "--json"], { cwd: dir })) as {
      workflow: string
      graphs: Array<string>
      dry_run: boolean
      created: number
      entries: Array<Entry>
    }
    expect(doc).toMatchObject({ workflow: "flow.csv", graphs: ["Main", "Other"], dry_run: false, created: 5, skipped: 0 })
    expect(doc.entries[0]).toEqual({ kind: "agent", name: "aggregator", file: "custom_agents/aggregator.ts", status: "created", used_by: [{ graph: "Main", node: "Start", line: 2 }] })
  })

  it("--dry-run writes nothing and says what it would write", () => {
    const dir = workspace({ "flow.csv": FLOW })
    const r = agentmap(["scaffold", "flow.csv", "--dry-run"], { cwd: dir })
    expect(r.status).toBe(0)
    expect(tree(dir)).toEqual(["flow.csv"])
    expect(r.stdout).toContain("would-create")
    expect(r.stdout).toContain("Dry run: would write 5 stubs, 0 skipped; nothing was written")
    const doc = json(agentmap(["scaffold", "flow.csv", "--dry-run", "--json"], { cwd: dir })) as { dry_run: boolean; entries: Array<Entry> }
    expect(doc.dry_run).toBe(true)
    expect(new Set(doc.entries.map((e) => e.status))).toEqual(new Set(["would-create"]))
    expect(tree(dir)).toEqual(["flow.csv"])
  })

  it("never overwrites an edited stub without --overwrite; with it, the stub is written again", () => {
    const dir = workspace({ "flow.csv": FLOW })
    agentmap(["scaffold", "flow.csv"], { cwd: dir })
    const mine = `import { defineAgent } from "agentmap"\nexport default defineAgent({ run: () => "mine" })\n`
    fs.writeFileSync(path.join(dir, "custom_agents/aggregator.ts"), mine)
    expect(agentmap(["scaffold", "flow.csv"], { cwd: dir }).status).toBe(0)
    expect(read(dir, "custom_agents/aggregator.ts")).toBe(mine)
    const r = agentmap(["scaffold", "flow.csv", "--overwrite", "--json"], { cwd: dir })
    expect(r.status).toBe(0)
    const statuses = Object.fromEntries((json(r) as { entries: Array<Entry> }).entries.map((e) => [e.name, e.status]))
    expect(statuses).toEqual({ aggregator: "overwritten", splitter: "overwritten", choose: "overwritten", add: "skipped", multiply: "skipped" })
    expect(read(dir, "custom_agents/aggregator.ts")).toContain("[scaffold placeholder]")
  })

  it("--graph scaffolds only what that graph uses; a graph the file lacks is exit 3", () => {
    const dir = workspace({ "flow.csv": FLOW })
    const r = agentmap(["scaffold", "flow.csv", "--graph", "Other", "--json"], { cwd: dir })
    expect(r.status).toBe(0)
    expect((json(r) as { entries: Array<Entry> }).entries.map((e) => e.name)).toEqual(["add", "multiply"])
    expect(tree(dir)).toEqual(["custom_tools/calculator_tools.ts", "flow.csv"])
    const missing = agentmap(["scaffold", "flow.csv", "--graph", "Mian", "--json"], { cwd: dir })
    expect(missing.status).toBe(3)
    expect(json(missing)).toEqual({ error: "GraphNotFound", message: "graph 'Mian' is not in 'flow.csv' (did you mean 'Main'?); it has: Main, Other" })
    expect(agentmap(["scaffold", "flow.csv::Main", "--graph", "Other"], { cwd: dir }).status).toBe(2)
  })

  it("exits 3 for a workflow that is not there and 2 for bad input, writing nothing", () => {
    const dir = workspace({ "flow.csv": FLOW, "empty.csv": `${HEADER}\n` })
    const none = agentmap(["scaffold", "nope.csv"], { cwd: dir })
    expect(none.status).toBe(3)
    expect(none.stderr).toContain("error: workflow file 'nope.csv' not found")
    expect(agentmap(["scaffold", "nope", "--json"], { cwd: dir }).status).toBe(3)
    const missing = agentmap(["scaffold"], { cwd: dir })
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain("missing WORKFLOW")
    expect(agentmap(["scaffold", "flow.csv", "--csv", "empty.csv"], { cwd: dir }).status).toBe(2)
    expect(agentmap(["scaffold", "flow.csv", "--bogus"], { cwd: dir }).status).toBe(2)
    const empty = agentmap(["scaffold", "empty.csv", "--json"], { cwd: dir })
    expect(empty.status).toBe(2)
    expect(json(empty)).toMatchObject({ error: "InvalidWorkflow", message: "'empty.csv' holds no graph to scaffold for" })
    expect(tree(dir)).toEqual(["empty.csv", "flow.csv"])
  })

  it("resolves a repository workflow name like run does, and writes to the configured folders (or --output / --functions)", () => {
    const dir = workspace({
      "agentmap_config.yaml": "paths:\n  csv_repository: flows\n  custom_agents: agents\n  functions: routing\n",
      "flows/flow.csv": FLOW
    })
    expect(agentmap(["scaffold", "flow::Main"], { cwd: dir }).status).toBe(0)
    expect(tree(dir)).toEqual(["agentmap_config.yaml", "agents/aggregator.ts", "agents/splitter.ts", "flows/flow.csv", "routing/choose.ts"])
    const other = workspace({ "flow.csv": FLOW })
    expect(agentmap(["scaffold", "flow.csv", "-g", "Main", "--output", "src/agents", "--functions", "src/fns"], { cwd: other }).status).toBe(0)
    expect(tree(other)).toEqual(["flow.csv", "src/agents/aggregator.ts", "src/agents/splitter.ts", "src/fns/choose.ts"])
  })

  it("leaves agent types that are present: a module named after the type, or a key of custom_agents.yaml", () => {
    const dir = workspace({
      "flow.csv": FLOW,
      "custom_agents/AggregatorAgent.mjs": "export default { run: () => 1 }\n",
      "custom_agents/custom_agents.yaml": "agents:\n  Splitter:\n    module: ./lib/split.ts\n"
    })
    const r = agentmap(["scaffold", "flow.csv", "--graph", "Main", "--overwrite", "--json"], { cwd: dir })
    expect(r.status).toBe(0)
    expect((json(r) as { entries: Array<Entry> }).entries.slice(0, 2)).toEqual([
      {
        kind: "agent",
        name: "aggregator",
        file: "custom_agents/AggregatorAgent.mjs",
        status: "skipped",
        reason: "exists and is not TypeScript: --overwrite leaves it; delete it to scaffold it again",
        used_by: [{ graph: "Main", node: "Start", line: 2 }]
      },
      {
        kind: "agent",
        name: "splitter",
        file: "custom_agents/custom_agents.yaml",
        status: "skipped",
        reason: "declared in custom_agents.yaml",
        used_by: [{ graph: "Main", node: "Split", line: 3 }]
      }
    ])
    expect(read(dir, "custom_agents/AggregatorAgent.mjs")).toBe("export default { run: () => 1 }\n")
  })

  it("appends a missing tool to the module Tool_Source names, keeping what is there, and reports what it cannot scaffold", () => {
    const csv = [
      HEADER,
      `G,Calc,tool,,x|y,sum,Remote,,,tools/math.ts,"add|multiply|my-tool|my_tool"`,
      "G,Remote,tool,,q,r,,,,mcp:search,lookup"
    ].join("\n")
    const existing = `import { defineTool } from "agentmap"\n\nexport const add = defineTool({ name: "add", schema: {}, run: (a) => a })\n`
    const dir = workspace({ "flow.csv": csv, "tools/math.ts": existing })
    const r = agentmap(["scaffold", "flow.csv", "--json"], { cwd: dir })
    expect(r.status).toBe(0)
    expect((json(r) as { entries: Array<Entry> }).entries.map((e) => [e.name, e.status, e.file, e.reason ?? ""])).toEqual([
      ["lookup", "skipped", "", "served by the MCP server 'search'"],
      ["add", "skipped", "tools/math.ts", "the module defines it (found by a text scan)"],
      ["multiply", "created", "tools/math.ts", ""],
      ["my-tool", "created", "tools/math.ts", ""],
      ["my_tool", "skipped", "tools/math.ts", "another tool scaffolded into this module has its name or export name"]
    ])
    const text = read(dir, "tools/math.ts")
    expect(text.startsWith(existing)).toBe(true)
    expect(text.match(/import \{ defineTool \}/g)).toHaveLength(1)
    expect(text).toContain(`export const multiply = defineTool({`)
    // still one module that compiles
    expect(() => transformSync(text, { loader: "ts", format: "esm" })).not.toThrow()
  })

  it("says so when a workflow needs nothing", () => {
    const dir = workspace({ "plain.csv": `${HEADER}\nG,A,echo,,,,,,,,\n` })
    const r = agentmap(["scaffold", "plain.csv"], { cwd: dir })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("Nothing to scaffold: plain.csv (G) uses only built-in agent types, and no routing functions or tools")
    expect(tree(dir)).toEqual(["plain.csv"])
  })

  it("routing function stubs load today: validate passes and run follows the node's outcome", () => {
    const csv = [HEADER, "G,Start,echo,,x,y,func:pick,Yes,No,,", "G,Yes,echo,,y,out,,,,,", "G,No,echo,,y,out,,,,,"].join("\n")
    const dir = workspace({ "flow.csv": csv })
    expect(agentmap(["validate", "flow.csv"], { cwd: dir }).status).toBe(2)
    expect(agentmap(["scaffold", "flow.csv"], { cwd: dir }).status).toBe(0)
    const v = agentmap(["validate", "flow.csv"], { cwd: dir })
    expect(v.stdout).toContain("✔ flow.csv is valid")
    expect(v.status).toBe(0)
    const run = agentmap(["run", "flow.csv", "--state", `{"x":"hi"}`, "--json"], { cwd: dir })
    expect(run.status).toBe(0)
    const result = json(run) as { status: string; outputs: Record<string, unknown>; execution_summary: { node_executions: Array<{ node: string }> } }
    expect(result.status).toBe("completed")
    expect(result.execution_summary.node_executions.map((e) => e.node)).toEqual(["Start", "Yes"])
    expect(result.outputs["out"]).toBe("hi")
  })

  it("is documented in help", () => {
    const dir = workspace({})
    const help = agentmap(["scaffold", "--help"], { cwd: dir })
    expect(help.status).toBe(0)
    for (const word of ["--csv FILE", "--graph GRAPH", "--output DIR", "--functions DIR", "--overwrite", "--dry-run", "--json", "defineAgent", "defineTool", "[scaffold placeholder]"])
      expect(help.stdout).toContain(word)
    expect(agentmap(["--help"], { cwd: dir }).stdout).toMatch(/scaffold\s+Write typed stubs/)
  })
})
