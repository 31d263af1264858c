import { transformSync } from "esbuild"
import { describe, expect, it } from "vitest"
import { collectNeeds, type ScaffoldNeed } from "../../src/domain/ScaffoldNeeds.js"
import { agentStub, appendToolStubs, definesTool, functionStub, PLACEHOLDER, toolModule, toolStub } from "../../src/domain/StubText.js"
import { validateText } from "../support/csv.js"

const HEADER = "GraphName,Node,AgentType,Prompt,Description,Context,Input_Fields,Output_Field,Edge,Success_Next,Failure_Next,Tool_Source,Available_Tools"

const CSV = [
  HEADER,
  `Main,Start,Aggregator,"Combine {a} and {b} */ sneaky",Adds things up,"{""mode"": ""fast"", ""limit"": 3}",a|b,total,,Split,End,,`,
  "Main,Split,splitter_agent,,,,total,left|right,func:choose,Done,End,,",
  `Main,Calc,tool,,,,x|y,sum,Done,,,tools/calc.ts,"add(""Adds two numbers"")|my-tool|*"`,
  "Main,Done,echo,,,,left,out,,,,,",
  "Main,End,echo,,,,total,out,,,,,",
  "Main,Remote,tool,,,,q,r,,,,mcp:search,lookup"
].join("\n")

const needs = collectNeeds(validateText(CSV).workflow.graphs)
const need = <T extends ScaffoldNeed["_tag"]>(tag: T, name: string) =>
  needs.find((n) => n._tag === tag && ("type" in n ? n.type : n.name) === name) as Extract<ScaffoldNeed, { _tag: T }>

/** Compiles a stub as TypeScript (esbuild: a syntax error throws) and evaluates it with a stand-in `agentmap`. */
const load = (source: string): Record<string, unknown> => {
  const { code } = transformSync(source, { loader: "ts", format: "cjs", target: "node20" })
  const module = { exports: {} as Record<string, unknown> }
  const fake = { defineAgent: (a: unknown) => a, defineTool: (t: unknown) => t }
  new Function("require", "module", "exports", code)((id: string) => (id === "agentmap" ? fake : undefined), module, module.exports)
  return module.exports
}

describe("what a workflow needs scaffolded", () => {
  it("finds unknown agent types, func: names and tools, never built-in types (tool included)", () => {
    expect(needs.map((n) => `${n._tag}:${"type" in n ? n.type : n.name}`)).toEqual([
      "Agent:aggregator",
      "Agent:splitter",
      "Function:choose",
      "Tool:add",
      "Tool:my-tool",
      "Unscaffoldable:*",
      "Unscaffoldable:lookup"
    ])
    expect(need("Tool", "add")).toMatchObject({ description: "Adds two numbers", source: "tools/calc.ts" })
    expect(need("Unscaffoldable", "lookup").reason).toBe("served by the MCP server 'search'")
  })
})

describe("stub text", () => {
  it("an agent stub compiles, and its run returns a labelled placeholder for one Output_Field", () => {
    const text = agentStub("aggregator", need("Agent", "aggregator").usages)
    expect(text).toContain(`import { defineAgent } from "agentmap"`)
    expect(text).toContain("- graph Main, node Start (wf.csv line 2, AgentType Aggregator)")
    expect(text).toContain("    inputs: a, b")
    expect(text).toContain("    output field: total")
    expect(text).toContain("    context keys: mode, limit")
    expect(text).toContain("    comes from: none; goes to: on success Split; on failure End")
    // a prompt cannot end the comment early
    expect(text).toContain("    prompt: Combine {a} and {b} *\\/ sneaky")
    const agent = load(text)["default"] as { description: string; run: (ctx: unknown) => unknown }
    expect(agent.description).toBe("Adds things up")
    const out = agent.run({ inputs: { a: 1, b: 2 }, node: { name: "Start" } })
    expect(out).toBe(`${PLACEHOLDER} aggregator agent, node Start: replace with real output (inputs: {"a":1,"b":2})`)
  })

  it("an agent whose rows list several Output_Fields returns an object with those keys", () => {
    const text = agentStub("splitter", need("Agent", "splitter").usages)
    expect(text).toContain("comes from: Start; goes to: func:choose (success Done; failure End)")
    const agent = load(text)["default"] as { run: (ctx: unknown) => Record<string, unknown> }
    const out = agent.run({ inputs: { total: 3 }, node: { name: "Split" } })
    expect(Object.keys(out)).toEqual(["left", "right"])
    expect(String(out["left"])).toContain(PLACEHOLDER)
  })

  it("a routing function stub has the routing signature and follows the node's outcome", () => {
    const text = functionStub("choose", need("Function", "choose").usages)
    const choose = load(text)["choose"] as (state: unknown, s: unknown, f: unknown) => unknown
    expect(choose({ last_action_success: true }, "Done", "End")).toBe("Done")
    expect(choose({ last_action_success: false }, "Done", "End")).toBe("End")
    expect(choose({}, ["A", "B"], null)).toEqual(["A", "B"])
  })

  it("a function named with a dash (allowed by func:) is the module's default export", () => {
    const text = functionStub("pick-one", need("Function", "choose").usages)
    expect(typeof load(text)["default"]).toBe("function")
  })

  it("tool stubs compile into a new module, with a JSON schema from the Input_Fields and a labelled placeholder", () => {
    const add = need("Tool", "add")
    const odd = need("Tool", "my-tool")
    const text = toolModule([toolStub(add.name, add.description, add.usages), toolStub(odd.name, odd.description, odd.usages)])
    const exports = load(text)
    const tool = exports["add"] as { name: string; description: string; schema: unknown; run: (args: unknown) => unknown }
    expect(tool.name).toBe("add")
    expect(tool.description).toBe("Adds two numbers")
    expect(tool.schema).toEqual({
      type: "object",
      properties: { x: { description: "input field 'x'" }, y: { description: "input field 'y'" } },
      required: ["x", "y"]
    })
    expect(tool.run({ x: 1, y: 2 })).toBe(`${PLACEHOLDER} add({"x":1,"y":2}): replace with the tool's work`)
    expect((exports["my_tool"] as { name: string }).name).toBe("my-tool")
    expect(definesTool(text, "add") && definesTool(text, "my-tool")).toBe(true)
    expect(definesTool(text, "multiply")).toBe(false)
  })

  it("appending to a module keeps its code, adds the import once, and the result compiles", () => {
    const add = need("Tool", "add")
    const existing = `export const multiply = { name: "multiply", run: (a: { x: number }) => a.x * 2 }\n`
    const once = appendToolStubs(existing, [toolStub(add.name, add.description, add.usages)])
    expect(once.startsWith(`import { defineTool } from "agentmap"\n${existing}`)).toBe(true)
    const twice = appendToolStubs(once, [toolStub("other", undefined, add.usages)])
    expect(twice.match(/import \{ defineTool \}/g)).toHaveLength(1)
    expect(Object.keys(load(twice)).sort()).toEqual(["add", "multiply", "other"])
  })

  it("finds a tool in a module by name: or by export (a text scan)", () => {
    expect(definesTool(`export const sum = tool(fn, { name: 'add', schema })`, "add")).toBe(true)
    expect(definesTool("export async function add(a, b) { return a + b }", "add")).toBe(true)
    expect(definesTool("export const adder = 1 // name: additive", "add")).toBe(false)
  })
})
