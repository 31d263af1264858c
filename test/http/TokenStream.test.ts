import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { TEST_KEYS, llmEnv } from "../support/llm.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { readEvents } from "../support/sse.js"
import { workspace } from "../support/workspace.js"

describe("token events while a model answers", () => {
  let fake: FakeLlm
  let server: RunningServer
  let key: string
  let admin: string
  beforeAll(async () => {
    fake = await startFakeLlm()
    const dir = workspace({
      "workflows/chat.csv": [
        "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt",
        "C,Answer,claude,question,answer,Done,Answer briefly.",
        "C,Done,echo,answer,final,,",
        ""
      ].join("\n")
    })
    key = createKey(dir, "streamer")
    admin = createKey(dir, "admin", "admin")
    server = await startServer(dir, [], llmEnv(fake))
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.close()
  })

  it("reach the HTTP client while the provider is still sending chunks", async () => {
    const chunks = ["The ", "sky ", "is ", "blue ", "because ", "of ", "Rayleigh ", "scattering."]
    const delay = 150
    fake.script("anthropic", { text: chunks.join(""), chunks, chunkDelayMs: delay })
    const response = await fetch(`${server.url}/execute/chat/stream`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ state: { question: "Why is the sky blue?" } })
    })
    const { frames } = await readEvents(response)
    const events = frames.filter((f) => !f.comment)
    const tokens = events.filter((f) => f.event === "token")
    expect(tokens.map((t) => t.data)).toEqual(chunks.map((text) => ({ node: "Answer", text })))
    expect(events.map((f) => f.event).filter((e) => e !== "token")).toEqual(["node", "node", "completed"])
    expect(events.findIndex((f) => f.event === "node")).toBeGreaterThan(events.indexOf(tokens[tokens.length - 1]!))
    // the first tokens reached the client while the provider was still writing the answer
    const providerEnded = fake.requests[0]!.endedAt!
    expect(tokens.filter((t) => t.at < providerEnded).length).toBeGreaterThanOrEqual(chunks.length / 2)
    expect(events[events.length - 1]!.data).toMatchObject({ status: "completed", outputs: { final: chunks.join("") } })
    expect(fake.requests[0]!.stream).toBe(true)
  })

  it("admin diagnose says which providers are configured, without their keys", async () => {
    const r = await call(`${server.url}/admin/diagnose`, { key: admin })
    // where each key comes from is said, never the key
    expect(r.body["llm"]).toEqual({
      openai: { configured: true, key: expect.stringMatching(/^set \((env|config) /), base_url: fake.openaiBaseUrl, model: "gpt-4o-mini" },
      anthropic: { configured: true, key: expect.stringMatching(/^set \((env|config) /), base_url: fake.anthropicBaseUrl, model: "claude-3-5-haiku-latest" },
      google: { configured: true, key: expect.stringMatching(/^set \((env|config) /), base_url: fake.googleBaseUrl, model: "gemini-1.5-flash" }
    })
    for (const k of Object.values(TEST_KEYS)) expect(r.text + server.stderr() + server.stdout()).not.toContain(k)
  })
})
