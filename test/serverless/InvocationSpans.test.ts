import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeHandler } from "../../src/main/aws.js"
import { type OtlpReceiver, startOtlpReceiver } from "../support/OtlpReceiver.js"
import { fixture, serverlessProject, token } from "../support/serverless.js"

type Batch = { results: Array<Record<string, unknown>> }

describe("a cloud invocation with telemetry on", () => {
  let otlp: OtlpReceiver
  let handler: ReturnType<typeof makeHandler>
  beforeAll(async () => {
    otlp = await startOtlpReceiver()
    handler = makeHandler({ cwd: serverlessProject(), env: { AGENTMAP_TELEMETRY__ENABLED: "true", OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url } })
  })
  afterAll(async () => {
    await otlp?.close()
  })

  it("is a faas span with the platform's request id, its runs under it, all exported before the handler returns", async () => {
    const out = (await handler(fixture("aws/sqs-batch.json"), { awsRequestId: "lambda-req-42" })) as Batch
    const done = out.results.find((r) => r["itemIdentifier"] === "059f36b4-87a3-44ab-83d2-661975830a7d")!["result"] as Record<string, unknown>
    // no waiting: the handler flushed before it returned
    const invocations = otlp.spans.filter((s) => s.name === "agentmap.invocation pubsub" && s.attributes["faas.invocation_id"] === "lambda-req-42")
    expect(invocations.length).toBeGreaterThan(0)
    expect(invocations[0]!.attributes).toMatchObject({ "faas.trigger": "pubsub", "cloud.provider": "aws" })
    const run = otlp.spans.find((s) => s.name === "agentmap.run" && s.traceId === done["trace_id"])!
    expect(run).toBeDefined()
    const ancestors: Array<string> = []
    for (let up = run.parentSpanId; up !== undefined; up = otlp.spans.find((s) => s.spanId === up)?.parentSpanId) ancestors.push(up)
    expect(invocations.map((s) => s.spanId).some((id) => ancestors.includes(id))).toBe(true)
  })

  it("an HTTP event is an invocation span too: a child of the caller's traceparent, above the request's and the run's spans", async () => {
    const caller = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" }
    const event = fixture("aws/apigw-v2-execute.json", { TOKEN: await token() }) as { headers: Record<string, string> }
    event.headers["traceparent"] = `00-${caller.traceId}-${caller.spanId}-01`
    const r = (await handler(event, { awsRequestId: "lambda-http-7" })) as { statusCode: number; body: string }
    expect(r.statusCode).toBe(200)
    const result = JSON.parse(r.body) as Record<string, unknown>
    expect(result["trace_id"]).toBe(caller.traceId)
    const invocation = otlp.spans.find((s) => s.name === "agentmap.invocation http" && s.attributes["faas.invocation_id"] === "JKJaXmPLvHcESHA=")!
    expect(invocation).toBeDefined()
    expect(invocation.attributes).toMatchObject({ "faas.trigger": "http", "cloud.provider": "aws" })
    expect([invocation.traceId, invocation.parentSpanId]).toEqual([caller.traceId, caller.spanId])
    const request = otlp.spans.find((s) => s.traceId === caller.traceId && s.name.startsWith("http.server"))!
    expect(request.parentSpanId).toBe(invocation.spanId)
    const run = otlp.spans.find((s) => s.name === "agentmap.run" && s.spanId === result["span_id"])!
    const ancestors: Array<string> = []
    for (let up = run.parentSpanId; up !== undefined; up = otlp.spans.find((s) => s.spanId === up)?.parentSpanId) ancestors.push(up)
    expect(ancestors).toEqual(expect.arrayContaining([request.spanId, invocation.spanId, caller.spanId]))
  })
})
