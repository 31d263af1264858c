import { beforeAll, describe, expect, it } from "vitest"
import { makeHandler } from "../../src/main/aws.js"
import { captureLogs, fixture, serverlessProject, token } from "../support/serverless.js"

type Proxy = { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded: boolean }
type Batch = { batchItemFailures: Array<{ itemIdentifier: string }>; results: Array<Record<string, unknown>>; correlation_id: string }

describe("AWS Lambda handler (memory persistence)", () => {
  let handler: ReturnType<typeof makeHandler>
  let bearer: string
  let firstLogs: Array<Record<string, unknown>>
  const invoke = (event: unknown, requestId = `aws-${Math.random().toString(36).slice(2)}`) => handler(event, { awsRequestId: requestId })
  const http = async (name: string, requestId?: string) => (await invoke(fixture(`aws/${name}`, { TOKEN: bearer }), requestId)) as Proxy

  beforeAll(async () => {
    const dir = serverlessProject()
    handler = makeHandler({ cwd: dir, env: {} })
    bearer = await token()
    // the container starts on its first invocation and says that suspended runs die with it
    firstLogs = (await captureLogs(() => http("apigw-v1-health.json", "first"))).lines
  })

  it("says at start that memory persistence loses suspended runs, in a log line with the correlation id", () => {
    const warning = firstLogs.find((l) => String(l["message"]).includes("persistence.backend is memory"))
    expect(warning).toMatchObject({ level: "WARN", correlation_id: "health-1" })
  })

  it("answers API Gateway REST (v1) events like the HTTP server, correlation id from the platform", async () => {
    const r = await http("apigw-v1-execute.json")
    const body = JSON.parse(r.body) as Record<string, unknown>
    expect([r.statusCode, body["status"], (body["outputs"] as Record<string, unknown>)["output"]]).toEqual([200, "completed", "from REST"])
    expect(r.headers["x-correlation-id"]).toBe("c6af9ac6-7b61-11e6-9a41-93e8deadbeef")
    expect(body["correlation_id"]).toBe("c6af9ac6-7b61-11e6-9a41-93e8deadbeef")
  })

  it("answers HTTP API (v2) events with base64 bodies, the stage taken off the path", async () => {
    const r = await http("apigw-v2-execute.json")
    const body = JSON.parse(r.body) as Record<string, unknown>
    expect([r.statusCode, body["graph_name"], (body["outputs"] as Record<string, unknown>)["output"]]).toEqual([200, "Chain", "from HTTP API"])
    expect(r.headers["x-correlation-id"]).toBe("JKJaXmPLvHcESHA=")
  })

  it("answers a stream request with the whole event stream in one body: node events, then exactly one final event", async () => {
    const event = fixture("aws/apigw-v2-execute.json", { TOKEN: bearer }) as { rawPath: string; requestContext: { http: { path: string } } }
    const r = (await invoke({ ...event, rawPath: "/prod/execute/chain/Chain/stream" })) as Proxy
    expect([r.statusCode, r.headers["content-type"]?.startsWith("text/event-stream")]).toEqual([200, true])
    const names = [...r.body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])
    expect(names.filter((n) => n === "node").length).toBeGreaterThan(0)
    expect(names.filter((n) => n !== "node")).toEqual(["completed"])
    expect(r.body).toContain("from HTTP API")
  })

  it("answers Function URL events, keeping a caller's own correlation id and accepting X-API-Key", async () => {
    const r = await http("function-url-execute.json")
    // the bearer token sits in X-API-Key here, which is not an API key: refused like the HTTP server would
    expect(r.statusCode).toBe(401)
    const ok = (await invoke({ ...fixture("aws/function-url-execute.json", { TOKEN: bearer }), headers: { "content-type": "application/json", authorization: `Bearer ${bearer}`, "x-correlation-id": "caller-chosen-id" } })) as Proxy
    expect([ok.statusCode, ok.headers["x-correlation-id"], JSON.parse(ok.body)["outputs"]["output"]]).toEqual([200, "caller-chosen-id", "from a Function URL"])
  })

  it("refuses a JWT without exp (auth.jwt.require_exp is on by default) with the HTTP server's 401 naming it", async () => {
    const endless = await token({ expires: false })
    const refused = (await invoke(fixture("aws/apigw-v2-execute.json", { TOKEN: endless }))) as Proxy
    expect([refused.statusCode, JSON.parse(refused.body)["error"], JSON.parse(refused.body)["message"]]).toEqual([
      401,
      "Unauthenticated",
      "the JWT has no exp claim (auth.jwt.require_exp is on): issue tokens with an expiry, or set auth.jwt.require_exp: false"
    ])
  })

  it("refuses an execute body without its state wrapper like the HTTP server: 400 naming the key", async () => {
    const event = fixture("aws/function-url-execute.json", { TOKEN: bearer }) as Record<string, unknown>
    const r = (await invoke({ ...event, headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` }, body: JSON.stringify({ input: "unwrapped" }) })) as Proxy
    expect([r.statusCode, JSON.parse(r.body)["error"], JSON.parse(r.body)["message"]]).toEqual([400, "BadRequest", expect.stringMatching(/^unknown key 'input' in the request body; expected \{"state"/)])
  })

  it("serves the other routes: workflows (authenticated), health (public)", async () => {
    const list = await http("apigw-v2-workflows.json")
    expect(list.statusCode).toBe(200)
    expect((JSON.parse(list.body) as { workflows: Array<{ name: string }> }).workflows.map((w) => w.name).sort()).toEqual(["approval", "chain", "ingest"])
    const anonymous = (await invoke({ ...fixture("aws/apigw-v2-workflows.json"), headers: {} })) as Proxy
    expect([anonymous.statusCode, JSON.parse(anonymous.body)["error"]]).toEqual([401, "Unauthenticated"])
  })

  it.each([
    ["malformed-apigw-bad-json.json", 400, "BadRequest"],
    ["malformed-apigw-invalid-base64.json", 400, "BadRequest"],
    ["malformed-apigw-traversal.json", 400, "InvalidRequest"],
    ["malformed-apigw-missing-workflow.json", 404, "WorkflowNotFound"],
    ["malformed-apigw-oversized.json", 413, "PayloadTooLarge"]
  ])("%s: a clear %i (%s), never a crash", async (name, status, error) => {
    const r = await http(name)
    const body = JSON.parse(r.body) as Record<string, unknown>
    expect([r.statusCode, body["error"]]).toEqual([status, error])
    expect(String(body["message"]).length).toBeGreaterThan(10)
    expect(r.headers["x-correlation-id"]).toBeTruthy()
  })

  it("runs every SQS record: failures reported by message id, the others succeed", async () => {
    const out = (await invoke(fixture("aws/sqs-batch.json"), "sqs-1")) as Batch
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      ["2e1424d4-f796-459a-8184-9c92662be6da", "7c1e9a55-3f0d-4b8e-a1c2-5d6e7f8a9b0c", "d6a4b1f7-0b1c-4a5e-9f3d-2b6c8e7a9d10"].sort()
    )
    const byId = Object.fromEntries(out.results.map((r) => [r["itemIdentifier"], r]))
    expect((byId["059f36b4-87a3-44ab-83d2-661975830a7d"]!["result"] as { outputs: Record<string, unknown> }).outputs["output"]).toBe("first message")
    expect((byId["a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"]!["result"] as { outputs: Record<string, unknown> }).outputs["output"]).toBe("last message")
    expect(byId["2e1424d4-f796-459a-8184-9c92662be6da"]!["error"]).toMatchObject({ error: "BadRequest" })
    expect(String((byId["7c1e9a55-3f0d-4b8e-a1c2-5d6e7f8a9b0c"]!["error"] as { message: string }).message)).toMatch(/\.\./)
    expect(out.correlation_id).toBe("sqs-1")
  })

  it("runs a redelivered SQS message once: the second delivery returns the first result", async () => {
    const event = { Records: [(fixture("aws/sqs-batch.json")["Records"] as Array<Record<string, unknown>>)[0]!] }
    const first = (await invoke(event)) as Batch
    const again = (await invoke(event)) as Batch
    const threadOf = (b: Batch) => (b.results[0]!["result"] as { thread_id: string }).thread_id
    expect(again.batchItemFailures).toEqual([])
    expect(threadOf(again)).toBe(threadOf(first))
    expect(again.results[0]!["duplicate"]).toBe(true)
  })

  it("maps an S3 ObjectCreated event through triggers.s3, with the key URL-decoded", async () => {
    const out = (await invoke(fixture("aws/s3-object-created.json"))) as Record<string, unknown> & { outputs: Record<string, unknown> }
    expect(out["status"]).toBe("completed")
    expect(out.outputs).toMatchObject({ bucket: "agentmap-inbox", key: "invoices/March 2026, final(v2).csv", seen: "invoices/March 2026, final(v2).csv", source: "s3", size: 1024 })
  })

  it("throws for an S3 object no mapping covers, so Lambda retries and dead-letters it", async () => {
    await expect(invoke(fixture("aws/s3-unmapped.json"))).rejects.toThrow(/no triggers\.s3 mapping matches s3:\/\/someone-elses-bucket\/photo\.jpg/)
  })

  it("runs an EventBridge schedule through triggers.schedules, and a detail that carries a payload as it is", async () => {
    const scheduled = (await invoke(fixture("aws/eventbridge-schedule.json"))) as { outputs: Record<string, unknown> }
    expect(scheduled.outputs["output"]).toBe("nightly")
    expect(scheduled.outputs["schedule"]).toMatchObject({ rule: "nightly-report", detail_type: "Scheduled Event", time: "2026-11-27T08:00:00Z" })
    const carried = (await invoke(fixture("aws/eventbridge-detail-payload.json"))) as { outputs: Record<string, unknown> }
    expect(carried.outputs["output"]).toBe("from EventBridge")
    await expect(invoke(fixture("aws/eventbridge-unmapped.json"))).rejects.toThrow(/forgotten-rule/)
  })

  it("runs DynamoDB stream records in order, images unmarshalled, the first failure reported by sequence number", async () => {
    const out = (await invoke(fixture("aws/dynamodb-stream.json"))) as Batch
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: "333" }])
    expect(out.results.map((r) => r["itemIdentifier"])).toEqual(["111", "222", "333"])
    const inserted = out.results[0]!["result"] as { outputs: Record<string, unknown> }
    expect(inserted.outputs).toMatchObject({ output: "from an item", qty: 3, tags: ["a", "b"], paid: true, note: null })
    const modified = out.results[1]!["result"] as { outputs: Record<string, unknown> }
    expect(modified.outputs["change"]).toMatchObject({
      event_name: "MODIFY",
      table: "Orders",
      keys: { pk: "order#2" },
      new_image: { status: "shipped", total: 42.5, items: [{ sku: "X1" }] },
      old_image: { status: "paid" }
    })
  })

  it("runs direct invocations and resumes a suspended thread from a resume payload", async () => {
    const run = (await invoke(fixture("aws/direct-run.json"))) as { outputs: Record<string, unknown> }
    expect(run.outputs["output"]).toBe("invoked directly")
    const suspended = (await invoke({ workflow: "approval", state: { request: "a new laptop" } })) as { status: string; thread_id: string }
    expect(suspended.status).toBe("suspended")
    const resumed = (await invoke(fixture("aws/direct-resume.json", { THREAD: suspended.thread_id }))) as { status: string; outputs: Record<string, unknown> }
    expect(resumed.status).toBe("completed")
    // resuming again is refused: the thread is finished
    await expect(invoke(fixture("aws/direct-resume.json", { THREAD: suspended.thread_id }))).rejects.toThrow(/ThreadFinished/)
  })

  it("throws for an event it does not recognise, naming what it accepts", async () => {
    await expect(invoke(fixture("aws/malformed-unknown-event.json"))).rejects.toThrow(/unrecognised event/)
  })

  it("tags every log line of an invocation with its correlation id", async () => {
    const { lines } = await captureLogs(() => invoke(fixture("aws/sqs-batch.json"), "logged-batch"))
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.every((l) => l["correlation_id"] === "logged-batch")).toBe(true)
  })
})
