import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { llmEnv } from "../support/llm.js"
import { type RunningServer, createKey, startServer } from "../support/server.js"
import { readEvents } from "../support/sse.js"
import { workspace } from "../support/workspace.js"

describe("tool events on streamed runs", () => {
  let fake: FakeLlm
  let server: RunningServer
  let key: string
  beforeAll(async () => {
    fake = await startFakeLlm()
    const dir = workspace({
      // a TypeScript tool module importing agentmap and zod: compiled by `serve`, sharing its copies
      "custom_tools/math.ts": [
        `import { defineTool } from "agentmap"`,
        `import { z } from "zod"`,
        `export const add = defineTool({ name: "add", description: "Add two numbers", schema: z.object({ a: z.number(), b: z.number() }), run: ({ a, b }) => a + b })`,
        ""
      ].join("\n"),
      "workflows/calc.csv": [
        "GraphName,Node,AgentType,Tool_Source,Available_Tools,Input_Fields,Output_Field,Edge,Prompt",
        "C,Ask,openai,math.ts,add,question,answer,Done,You add numbers with the add tool.",
        "C,Done,echo,,,answer,final,,",
        ""
      ].join("\n")
    })
    key = createKey(dir, "streamer")
    server = await startServer(dir, [], llmEnv(fake))
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.close()
  })

  it("send a tool event per call, then the model's answer, then the node events", async () => {
    fake.script("openai", { toolCalls: [{ name: "add", args: { a: 2, b: 40 } }, { name: "add", args: { a: "x", b: 1 } }] }, { text: "The sum is 42." })
    const response = await fetch(`${server.url}/execute/calc/stream`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ state: { question: "2 + 40?" } })
    })
    const { frames } = await readEvents(response)
    const events = frames.filter((f) => !f.comment)
    expect(events.map((f) => f.event)).toEqual(["tool", "tool", "token", "node", "node", "completed"])
    expect(events[0]!.data).toEqual({ node: "Ask", name: "add", args: { a: 2, b: 40 }, result: 42 })
    expect(events[1]!.data).toEqual({ node: "Ask", name: "add", args: { a: "x", b: 1 }, error: "tool 'add': argument 'a' is invalid: expected number, received string" })
    expect(events[2]!.data).toEqual({ node: "Ask", text: "The sum is 42." })
    const result = events.at(-1)!.data as { outputs: Record<string, unknown>; execution_summary: { node_executions: ReadonlyArray<{ tools?: unknown }> } }
    expect(result.outputs["final"]).toBe("The sum is 42.")
    expect(result.execution_summary.node_executions[0]!.tools).toEqual([
      { name: "add", args: { a: 2, b: 40 }, result: 42 },
      { name: "add", args: { a: "x", b: 1 }, error: "tool 'add': argument 'a' is invalid: expected number, received string" }
    ])
  })
})
