import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { llmEnv } from "../support/llm.js"
import { run, workspace } from "../support/workspace.js"

const MATH = `
export const add = { name: "add", description: "Add two numbers", schema: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"], additionalProperties: false }, run: ({ a, b }) => a + b }
export const lookup = { name: "lookup", description: "Look up a city", schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, run: ({ city }) => ({ city, population: 2100000 }) }
`
const HEADER = "GraphName,Node,AgentType,Tool_Source,Available_Tools,Prompt,Input_Fields,Output_Field,Success_Next,Failure_Next,Context"
type Execution = { node: string; tools?: ReadonlyArray<unknown>; llm?: { input_tokens: number; output_tokens: number } }

describe("LLM tool-calling loop over each provider's wire format (fake servers)", () => {
  let fake: FakeLlm
  beforeAll(async () => {
    fake = await startFakeLlm()
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.reset())

  const ask = async (agent: string) => {
    const dir = workspace({ "custom_tools/math.mjs": MATH, "w.csv": `${HEADER}\nG,Ask,${agent},math.mjs,add|lookup,You use tools.,q,answer,,,\n` })
    return run(dir, { workflow: "w.csv", state: { q: "2+3, and how big is Paris?" } }, { env: llmEnv(fake) })
  }
  const executions = (result: { execution_summary: unknown }) => (result.execution_summary as { node_executions: ReadonlyArray<Execution> }).node_executions

  it("OpenAI: tools as functions, tool_calls answered by tool messages", async () => {
    fake.script("openai", { toolCalls: [{ name: "add", args: { a: 2, b: 3 }, id: "call_A" }, { name: "lookup", args: { city: "Paris" }, id: "call_B" }] }, { text: "5, and Paris has 2.1 million people" })
    const result = await ask("openai")
    expect(result.outputs["answer"]).toBe("5, and Paris has 2.1 million people")
    expect(executions(result)[0]!.tools).toEqual([
      { name: "add", args: { a: 2, b: 3 }, result: 5 },
      { name: "lookup", args: { city: "Paris" }, result: { city: "Paris", population: 2100000 } }
    ])
    const [first, second] = fake.requests
    expect(first!.body.tools[0]).toEqual({ type: "function", function: { name: "add", description: "Add two numbers", parameters: expect.objectContaining({ type: "object", required: ["a", "b"] }) } })
    expect(second!.body.messages.slice(-3)).toEqual([
      { role: "assistant", content: null, tool_calls: [
        { id: "call_A", type: "function", function: { name: "add", arguments: '{"a":2,"b":3}' } },
        { id: "call_B", type: "function", function: { name: "lookup", arguments: '{"city":"Paris"}' } }
      ] },
      { role: "tool", tool_call_id: "call_A", content: "5" },
      { role: "tool", tool_call_id: "call_B", content: '{"city":"Paris","population":2100000}' }
    ])
    // the tokens of both turns are counted
    expect(executions(result)[0]!.llm!.output_tokens).toBeGreaterThan(5)
  })

  it("Anthropic: tools with input_schema, tool_use blocks answered by tool_result blocks in one user turn", async () => {
    fake.script("anthropic", { text: "Adding.", toolCalls: [{ name: "add", args: { a: 2, b: 3 }, id: "toolu_1" }, { name: "lookup", args: { city: "Paris" }, id: "toolu_2" }] }, { text: "done: 5" })
    const result = await ask("anthropic")
    expect(result.outputs["answer"]).toBe("done: 5")
    const [first, second] = fake.requests
    expect(first!.body.tools[1]).toEqual({ name: "lookup", description: "Look up a city", input_schema: expect.objectContaining({ properties: { city: { type: "string" } } }) })
    expect(second!.body.messages.slice(-2)).toEqual([
      { role: "assistant", content: [{ type: "text", text: "Adding." }, { type: "tool_use", id: "toolu_1", name: "add", input: { a: 2, b: 3 } }, { type: "tool_use", id: "toolu_2", name: "lookup", input: { city: "Paris" } }] },
      { role: "user", content: [
        { type: "tool_result", tool_use_id: "toolu_1", content: "5" },
        { type: "tool_result", tool_use_id: "toolu_2", content: '{"city":"Paris","population":2100000}' }
      ] }
    ])
  })

  it("Gemini: functionDeclarations (schema keys Gemini refuses dropped), functionCall parts answered by functionResponse parts", async () => {
    fake.script("google", { toolCalls: [{ name: "add", args: { a: 2, b: 3 } }] }, { text: "It is 5" })
    const result = await ask("gemini")
    expect(result.outputs["answer"]).toBe("It is 5")
    expect(executions(result)[0]!.tools).toEqual([{ name: "add", args: { a: 2, b: 3 }, result: 5 }])
    const [first, second] = fake.requests
    const declaration = first!.body.tools[0].functionDeclarations[0]
    expect(declaration).toMatchObject({ name: "add", description: "Add two numbers", parameters: { type: "object", required: ["a", "b"] } })
    expect(declaration.parameters.additionalProperties).toBeUndefined()
    expect(second!.body.contents.slice(-2)).toEqual([
      { role: "model", parts: [{ functionCall: { name: "add", args: { a: 2, b: 3 } } }] },
      { role: "user", parts: [{ functionResponse: { name: "add", response: { result: 5 } } }] }
    ])
  })
})
