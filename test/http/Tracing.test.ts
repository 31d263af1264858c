import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { TEST_KEYS, llmEnv } from "../support/llm.js"
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "../support/OtlpReceiver.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const COLLECTOR_TOKEN = "collector-token-never-in-spans-0451"
const SERVER = 2
const CLIENT = 3

const caller = () => ({ traceId: randomBytes(16).toString("hex"), spanId: randomBytes(8).toString("hex") })
const traceparent = (c: { traceId: string; spanId: string }) => `00-${c.traceId}-${c.spanId}-01`

describe("traces exported over OTLP/HTTP", () => {
  let otlp: OtlpReceiver
  let fake: FakeLlm
  let server: RunningServer
  let key: string
  beforeAll(async () => {
    otlp = await startOtlpReceiver()
    fake = await startFakeLlm()
    const dir = workspace({
      "agentmap_config.yaml": [
        "telemetry:",
        "  enabled: true",
        `  endpoint: ${otlp.url}`,
        "  service_name: agentmap-test",
        "  headers:",
        `    x-collector-token: ${COLLECTOR_TOKEN}`,
        ""
      ].join("\n"),
      "workflows/review.csv": [
        "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt",
        "R,Draft,openai,topic,draft,Approve,Write one line about {topic}.",
        "R,Approve,input,draft,approval,Done,Approve this draft?",
        "R,Done,echo,approval,final,,",
        ""
      ].join("\n")
    })
    key = createKey(dir, "runner")
    server = await startServer(dir, [], llmEnv(fake))
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.close()
    await otlp?.close()
  })

  const post = (path: string, body: unknown, parent: { traceId: string; spanId: string }) =>
    call(`${server.url}${path}`, { method: "POST", key, body: JSON.stringify(body), headers: { traceparent: traceparent(parent) } })

  const byId = (id: string | undefined) => otlp.spans.find((s) => s.spanId === id)
  const parentOf = (s: ReceivedSpan) => byId(s.parentSpanId)
  const ancestors = (s: ReceivedSpan): Array<ReceivedSpan> => {
    const up = parentOf(s)
    return up === undefined ? [] : [up, ...ancestors(up)]
  }

  it("continue the caller's trace: HTTP span, run, nodes, the model call and checkpoints; the resume links to the suspending run", async () => {
    fake.script("openai", { text: "Owls hoot softly at midnight.", inputTokens: 17, outputTokens: 6 })
    const first = caller()
    const started = await post("/execute/review/R", { state: { topic: "owls" } }, first)
    expect([started.status, started.body["status"]]).toEqual([200, "suspended"])
    expect(started.body["trace_id"]).toBe(first.traceId)
    const threadId = started.body["thread_id"] as string

    const second = caller()
    const resumed = await post(`/resume/${threadId}`, { action: "continue", data: "approved" }, second)
    expect([resumed.status, resumed.body["status"]]).toEqual([200, "completed"])
    expect(resumed.body["trace_id"]).toBe(second.traceId)

    // the batch processor exports within a second or so: wait for the last spans of each leg
    const run1 = await otlp.waitFor((s) => s.name === "agentmap.run" && s.traceId === first.traceId)
    const run2 = await otlp.waitFor((s) => s.name === "agentmap.run" && s.traceId === second.traceId)
    const http1 = await otlp.waitFor((s) => s.kind === SERVER && s.traceId === first.traceId && s.attributes["url.path"] === "/execute/review/R")
    const http2 = await otlp.waitFor((s) => s.kind === SERVER && s.traceId === second.traceId && s.attributes["url.path"] === `/resume/${threadId}`)

    // HTTP spans: children of the caller's span, with the HTTP semantic conventions
    expect(http1.parentSpanId).toBe(first.spanId)
    expect(http2.parentSpanId).toBe(second.spanId)
    expect(http1.attributes).toMatchObject({ "http.request.method": "POST", "http.response.status_code": 200, "url.path": "/execute/review/R" })
    expect(http1.attributes["http.route"]).toEqual(expect.stringContaining("/execute"))
    // an API key never reaches a span (the platform redacts x-api-key)
    expect(JSON.stringify(http1.attributes)).not.toContain(key)

    // the run: under the HTTP span, with graph, workflow, thread, status, duration
    expect(ancestors(run1).map((s) => s.spanId)).toContain(http1.spanId)
    expect(run1.attributes).toMatchObject({
      "agentmap.graph": "R",
      "agentmap.workflow": "review::R",
      "agentmap.thread_id": threadId,
      "agentmap.status": "suspended",
      "agentmap.leg": "start"
    })
    expect(typeof run1.attributes["agentmap.duration_ms"]).toBe("number")
    expect(started.body["span_id"]).toBe(run1.spanId)

    // nodes: children of the run
    const nodes1 = otlp.spans.filter((s) => s.name.startsWith("agentmap.node ") && s.parentSpanId === run1.spanId)
    expect(nodes1.map((s) => s.name).sort()).toEqual(["agentmap.node Approve", "agentmap.node Draft"])
    const draft = nodes1.find((s) => s.name === "agentmap.node Draft")!
    expect(draft.attributes).toMatchObject({ "agentmap.node": "Draft", "agentmap.agent_type": "openai", "agentmap.success": true, "agentmap.failure_next_taken": false })
    expect(nodes1.find((s) => s.name === "agentmap.node Approve")!.attributes).toMatchObject({ "agentmap.suspended": true, "agentmap.interrupt.type": "input" })

    // the model call: under its node, GenAI conventions, the provider's token counts, no content
    const chat = otlp.spans.find((s) => s.name.startsWith("chat ") && s.parentSpanId === draft.spanId)!
    expect(chat).toBeDefined()
    expect(chat.kind).toBe(CLIENT)
    expect(chat.name).toBe(`chat ${chat.attributes["gen_ai.request.model"] as string}`)
    expect(chat.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "openai",
      "gen_ai.provider.name": "openai",
      "gen_ai.usage.input_tokens": 17,
      "gen_ai.usage.output_tokens": 6,
      "gen_ai.response.finish_reasons": ["stop"],
      "server.address": "127.0.0.1"
    })
    expect(chat.attributes["gen_ai.input.messages"]).toBeUndefined()
    expect(chat.attributes["gen_ai.output.messages"]).toBeUndefined()

    // checkpoint writes: under the run, with the store and the bytes written
    const writes = otlp.spans.filter((s) => s.name === "agentmap.checkpoint.write" && s.parentSpanId === run1.spanId)
    expect(writes.length).toBeGreaterThan(0)
    for (const w of writes) {
      expect(w.attributes["agentmap.checkpoint.store"]).toBe("sqlite")
      expect(w.attributes["agentmap.checkpoint.bytes"]).toBeGreaterThan(0)
    }

    // the resume: its own trace (its caller's), linked to the run span that suspended the thread
    expect(run2.attributes).toMatchObject({ "agentmap.leg": "resume", "agentmap.status": "completed", "agentmap.thread_id": threadId })
    expect(run2.links).toEqual([expect.objectContaining({ traceId: first.traceId, spanId: run1.spanId })])
    expect(ancestors(run2).map((s) => s.spanId)).toContain(http2.spanId)
    await otlp.waitFor((s) => s.name === "agentmap.node Done" && s.parentSpanId === run2.spanId)
    const nodes2 = otlp.spans.filter((s) => s.name.startsWith("agentmap.node ") && s.parentSpanId === run2.spanId)
    expect(nodes2.map((s) => s.name).sort()).toEqual(["agentmap.node Approve", "agentmap.node Done"])

    // the resource, and what went over the wire: the collector's header, never a secret or the content
    expect(run1.resource).toMatchObject({ "service.name": "agentmap-test" })
    expect(otlp.headers.some((h) => h["x-collector-token"] === COLLECTOR_TOKEN)).toBe(true)
    const everything = JSON.stringify(otlp.spans)
    for (const secret of [COLLECTOR_TOKEN, key, ...Object.values(TEST_KEYS)]) expect(everything).not.toContain(secret)
    expect(everything).not.toContain("Owls hoot softly")
    expect(everything).not.toContain("Write one line about")
    expect(server.stderr()).not.toContain(COLLECTOR_TOKEN)
  })

  it("on shutdown pushes what it still holds: Effect's metrics reach the collector's /v1/metrics", async () => {
    const before = otlp.spans.length
    await call(`${server.url}/health`)
    expect(await server.stop()).toBe(0)
    // the periodic metric export (every 60 s by default) has not come round yet: this is the final flush
    expect(otlp.metrics.length).toBeGreaterThan(0)
    expect(JSON.stringify(otlp.metrics)).toContain("agentmap-test")
    // and the last request's span went out with it
    expect(otlp.spans.slice(before).some((s) => s.attributes["url.path"] === "/health")).toBe(true)
  })
})
