import * as fs from "node:fs"
import * as path from "node:path"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { scripted } from "../../src/adapters/llm/ScriptedLanguageModels.js"
import { refused, run, withApp, workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Tool_Source,Available_Tools,Prompt,Input_Fields,Output_Field,Success_Next,Failure_Next,Context"
const csv = (...rows: ReadonlyArray<string>) => [HEADER, ...rows, "G,Done,echo,,,,,,,,", "G,Failed,echo,,,,error,failure,,,", ""].join("\n")
type Execution = { node: string; success: boolean; error?: string; tools?: ReadonlyArray<Record<string, unknown>>; llm?: unknown }
const executions = (result: { execution_summary: unknown }) => (result.execution_summary as { node_executions: ReadonlyArray<Execution> }).node_executions

/** Plain tool objects (no imports): the shape defineTool gives, with JSON Schema arguments. */
const MATH = `
const number = { type: "number" }
export const add = { name: "add", description: "Add two numbers together", schema: { type: "object", properties: { a: number, b: number }, required: ["a", "b"] }, run: ({ a, b }) => a + b }
export const multiply = { name: "multiply", description: "Multiply two numbers", schema: { type: "object", properties: { a: number, b: number }, required: ["a", "b"] }, run: ({ a, b }) => a * b }
export const divide = { name: "divide", description: "Divide the first number by the second", schema: { type: "object", properties: { a: number, b: number }, required: ["a", "b"] }, run: ({ a, b }) => { if (b === 0) throw new Error("Cannot divide by zero"); return a / b } }
`
/** zod arguments and a LangChain tool, as a TypeScript module. */
const TEXT = `
import { z } from "zod"
import { tool } from "@langchain/core/tools"
export const uppercase = tool(({ text }: { text: string }) => text.toUpperCase(), { name: "uppercase", description: "Convert text to uppercase", schema: z.object({ text: z.string() }) })
export const shout = { name: "shout", description: "Say it loud", schema: z.object({ text: z.string().min(1), times: z.number().int().default(1) }), run: ({ text, times }: { text: string; times: number }) => (text + "!").repeat(times) }
`

describe("tool agents", () => {
  it("call their one tool directly, arguments from the inputs by name then position, and record the call", async () => {
    const dir = workspace({ "custom_tools/math.mjs": MATH, "w.csv": csv("G,Add,tool_agent,math.mjs,add,,a|y,sum,Done,Failed,") })
    const result = await run(dir, { workflow: "w.csv", state: { a: 2, y: "40" } })
    expect(result.outputs["sum"]).toBe(42)
    expect(executions(result)[0]).toMatchObject({ node: "Add", success: true, tools: [{ name: "add", args: { a: 2, b: 40 }, result: 42 }] })
  })

  it("fail the node naming the argument when the inputs do not fit the tool's schema, and take Failure_Next", async () => {
    const dir = workspace({ "custom_tools/math.mjs": MATH, "w.csv": csv("G,Add,tool,math.mjs,add,,a,sum,Done,Failed,") })
    const result = await run(dir, { workflow: "w.csv", state: { a: "seven" } })
    expect(result.outputs["failure"]).toMatch(/node 'Add': tool 'add': argument 'a' is invalid: expected number/)
    const missing = await run(dir, { workflow: "w.csv", state: { a: 1 } })
    expect(missing.outputs["failure"]).toBe("node 'Add': tool 'add': argument 'b' is missing")
    expect(executions(missing).map((e) => e.node)).toEqual(["Add", "Failed"])
  })

  it("fail the node with the tool's own message when it throws", async () => {
    const dir = workspace({ "custom_tools/math.mjs": MATH, "w.csv": csv("G,Div,tool,math.mjs,divide,,a|b,q,Done,Failed,") })
    const result = await run(dir, { workflow: "w.csv", state: { a: 1, b: 0 } })
    expect(result.outputs["failure"]).toBe("node 'Div': tool 'divide' failed: Cannot divide by zero")
    expect(executions(result)[0]!.tools).toEqual([{ name: "divide", args: { a: 1, b: 0 }, error: "tool 'divide' failed: Cannot divide by zero" }])
  })

  it("choose by keywords with matching_strategy algorithm (the prompt and inputs against names and CSV descriptions), asking no model", async () => {
    const models = scripted(() => "should not be asked")
    const dir = workspace({
      "custom_tools/math.mjs": MATH,
      "w.csv": csv(`G,Calc,tool,math.mjs,"add(""sums numbers"")|multiply(""product of numbers"")",Give me the product,a|b,r,Done,Failed,"{""matching_strategy"": ""algorithm""}"`)
    })
    const result = await run(dir, { workflow: "w.csv", state: { a: 6, b: 7 } }, { models: models.layer })
    expect(result.outputs["r"]).toBe(42)
    expect(models.calls).toHaveLength(0)
  })

  it("let the model call a tool natively with matching_strategy llm, using the arguments it gives", async () => {
    const models = scripted(() => ({ toolCalls: [{ name: "multiply", args: { a: 6, b: 7 } }] }))
    const dir = workspace({ "custom_tools/math.mjs": MATH, "w.csv": csv(`G,Calc,tool,math.mjs,add|multiply,,question,r,Done,Failed,"{""matching_strategy"": ""llm""}"`) })
    const result = await run(dir, { workflow: "w.csv", state: { question: "what is six times seven?" } }, { models: models.layer })
    expect(result.outputs["r"]).toBe(42)
    expect(models.calls[0]!.tools!.map((t) => t.name)).toEqual(["add", "multiply"])
    expect(models.calls[0]!.tools![0]!.parameters).toMatchObject({ type: "object", properties: { a: { type: "number" } } })
    expect(executions(result)[0]).toMatchObject({ tools: [{ name: "multiply", args: { a: 6, b: 7 }, result: 42 }], llm: { provider: "openai" } })
  })

  it("tiered (the default): keywords when confident, the model when not", async () => {
    const models = scripted(() => ({ toolCalls: [{ name: "add", args: { a: 1, b: 2 } }] }))
    const dir = workspace({
      "custom_tools/math.mjs": MATH,
      "w.csv": csv(`G,Sure,tool,math.mjs,add|multiply,multiply,a|b,r1,Unsure,Failed,`, `G,Unsure,tool,math.mjs,add|multiply,do the thing,a|b,r2,Done,Failed,`)
    })
    const result = await run(dir, { workflow: "w.csv", state: { a: 3, b: 5 } }, { models: models.layer })
    expect(result.outputs["r1"]).toBe(15)
    expect(result.outputs["r2"]).toBe(3)
    expect(models.calls).toHaveLength(1)
  })

  it("take zod schemas and LangChain tools from a TypeScript module (defaults applied, checks named)", async () => {
    const dir = workspace({ "tools/text.ts": TEXT, "w.csv": csv("G,Up,tool,tools/text.ts,uppercase,,s,u,Loud,Failed,", "G,Loud,tool,tools/text.ts,shout,,u,l,Done,Failed,") })
    const result = await run(dir, { workflow: "w.csv", state: { s: "hi" } })
    expect(result.outputs["u"]).toBe("HI")
    expect(result.outputs["l"]).toBe("HI!")
    const empty = await run(dir, { workflow: "w.csv", state: { s: "" } })
    expect(empty.outputs["failure"]).toMatch(/node 'Loud': tool 'shout': argument 'text' is invalid/)
  })

  it("refuse to start, with the CSV line, when the Tool_Source or a listed tool is not there", async () => {
    const dir = workspace({
      "custom_tools/math.mjs": MATH,
      "w.csv": csv("G,A,tool,nowhere.ts,add,,a|b,r,Done,Failed,", "G,B,tool,math.mjs,ad|multiply,,a|b,r,Done,Failed,", "G,C,tool,,,,a,r,Done,Failed,")
    })
    const error = (await refused(dir, { workflow: "w.csv" })) as { diagnostics: ReadonlyArray<{ line: number; code: string; message: string }> }
    const found = error.diagnostics.map((d) => `${d.line} ${d.code}`)
    expect(found).toEqual(expect.arrayContaining(["2 missing-tool-source", "3 missing-tool", "4 missing-tools"]))
    expect(error.diagnostics.find((d) => d.code === "missing-tool")!.message).toMatch(/has no tool 'ad' \(did you mean 'add'\?\) \(it has: add, divide, multiply\)/)
    expect(error.diagnostics.find((d) => d.code === "missing-tool-source")!.message).toMatch(/Tool_Source 'nowhere.ts' not found/)
  })

  it("find an upstream .py Tool_Source as the TypeScript module of the same name in paths.custom_tools, with a warning", async () => {
    const dir = workspace({
      "agentmap_config.yaml": "paths:\n  custom_tools: my_tools\n",
      "my_tools/calculator_tools.mjs": MATH,
      "w.csv": csv("G,Add,tool_agent,examples/tools/calculator_tools.py,add,,a|b,r,Done,Failed,")
    })
    const result = await run(dir, { workflow: "w.csv", state: { a: 1, b: 2 } })
    expect(result.outputs["r"]).toBe(3)
  })
})

describe("LLM nodes with Available_Tools", () => {
  it("run the tool-calling loop: model, tool calls, results back, final answer; each call recorded", async () => {
    const models = scripted((_request, i) =>
      i === 0 ? { text: "Let me compute.", toolCalls: [{ name: "add", args: { a: 2, b: 3 } }, { name: "multiply", args: { a: 4, b: 5 } }] } : "2+3 is 5 and 4*5 is 20"
    )
    const dir = workspace({ "custom_tools/math.mjs": MATH, "w.csv": csv("G,Ask,llm,math.mjs,add|multiply,You do arithmetic.,q,answer,Done,Failed,") })
    const result = await run(dir, { workflow: "w.csv", state: { q: "2+3 and 4*5?" } }, { models: models.layer })
    expect(result.outputs["answer"]).toBe("2+3 is 5 and 4*5 is 20")
    expect(executions(result)[0]!.tools).toEqual([
      { name: "add", args: { a: 2, b: 3 }, result: 5 },
      { name: "multiply", args: { a: 4, b: 5 }, result: 20 }
    ])
    const second = models.calls[1]!
    expect(second.messages.slice(1)).toEqual([
      { role: "assistant", content: "Let me compute.", toolCalls: [{ id: "call_1_0", name: "add", args: { a: 2, b: 3 } }, { id: "call_1_1", name: "multiply", args: { a: 4, b: 5 } }] },
      { role: "tool", callId: "call_1_0", name: "add", content: "5", isError: false },
      { role: "tool", callId: "call_1_1", name: "multiply", content: "20", isError: false }
    ])
  })

  it("tell the model about a failing call instead of failing, and stop at max_tool_calls", async () => {
    const models = scripted((request) => (request.messages.length < 4 ? { toolCalls: [{ name: "divide", args: { a: 1, b: 0 } }] } : "gave up"))
    const dir = workspace({
      "custom_tools/math.mjs": MATH,
      "w.csv": csv(`G,Ask,openai,math.mjs,divide,,q,answer,Done,Failed,`, `G,Loop,openai,math.mjs,divide,,q,again,Done,Failed,"{""max_tool_calls"": 1}"`).replace("G,Ask,openai,math.mjs,divide,,q,answer,Done,", "G,Ask,openai,math.mjs,divide,,q,answer,Loop,")
    })
    const result = await run(dir, { workflow: "w.csv", state: { q: "1/0?" } }, { models: models.layer })
    expect(result.outputs["answer"]).toBe("gave up")
    expect(models.calls[1]!.messages.at(-1)).toMatchObject({ role: "tool", isError: true, content: "tool 'divide' failed: Cannot divide by zero" })
    expect(result.outputs["failure"]).toBe("node 'Loop': the model asked for more than max_tool_calls (1) tool calls; raise Context max_tool_calls if it needs more")
    expect(executions(result).find((e) => e.node === "Loop")).toMatchObject({ success: false, tools: [{ name: "divide", error: "tool 'divide' failed: Cannot divide by zero" }] })
  })

  it("a tool node's module is recorded with the thread: resuming after it changed is refused unless forced", async () => {
    const tool = (factor: number) => `export const scale = { name: "scale", description: "Scale a number", schema: { type: "object", properties: { n: { type: "number" } }, required: ["n"] }, run: ({ n }) => n * ${factor} }\n`
    const dir = workspace({ "custom_tools/scale.mjs": tool(2), "w.csv": csv("G,Wait,suspend,,,Go on?,,,Scale,,", "G,Scale,tool,scale.mjs,scale,,n,scaled,Done,Failed,") })
    const first = await run(dir, { workflow: "w.csv", state: { n: 21 } })
    expect(first.status).toBe("suspended")
    fs.writeFileSync(path.join(dir, "custom_tools/scale.mjs"), tool(3))
    const resume = (force: boolean) => withApp(dir, (s) => s.resume({ thread_id: first.thread_id, action: "continue", force }))
    const changed = await resume(false)
    expect(Either.isLeft(changed) && changed.left.message).toMatch(/custom agent or tool module .*scale\.mjs changed since thread .*--force/)
    const forced = await resume(true)
    expect(Either.isRight(forced) && forced.right.result.outputs["scaled"]).toBe(63)
  })
})
