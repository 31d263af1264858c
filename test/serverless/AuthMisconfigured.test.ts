import type { Server } from "node:http"
import type { AddressInfo } from "node:net"
import { HttpRequest, InvocationContext } from "@azure/functions"
import * as functions from "@google-cloud/functions-framework"
import { getTestServer } from "@google-cloud/functions-framework/testing"
import { afterAll, describe, expect, it } from "vitest"
import { makeHandlers as azureHandlers } from "../../src/adapters/serverless/azure/Handlers.js"
import { makeHandlers as gcpHandlers } from "../../src/adapters/serverless/gcp/Handlers.js"
import { makeHandler } from "../../src/main/aws.js"
import { captureLogs, fixture, serverlessProject } from "../support/serverless.js"

type Proxy = { statusCode: number; headers: Record<string, string>; body: string }
type Batch = { batchItemFailures: Array<{ itemIdentifier: string }>; results: Array<{ result?: { status: string; outputs: Record<string, unknown> } }> }

/** What every HTTP event of such a function is answered with, and what its container logs once at start. */
const MISCONFIGURED = {
  error: "AuthMisconfigured",
  message:
    "authentication is on (auth.enabled) but nobody can ever authenticate to this function: there is no JWT configuration (auth.jwt) and no API key can exist in the memory store (persistence.backend is memory, the cloud default when none is configured). Configure one of: auth.jwt (secret or jwks_url, e.g. AGENTMAP_AUTH__JWT__SECRET); a Postgres store (persistence.backend: postgres and persistence.postgres_url) holding keys made with `agentmap auth generate-key`; or auth.enabled: false for a public function"
}
const INIT_ERROR = `${MISCONFIGURED.message}. Until then HTTP requests answer 503; queue and event triggers still run`

const errorsIn = (lines: ReadonlyArray<Record<string, unknown>>) => lines.filter((l) => l["level"] === "ERROR")
const chain = (input: string) => ({ workflow: "chain", graph: "Chain", state: { input } })

/** Auth on (the default), no auth.jwt, no persistence configured: the cloud's memory store, where no key can exist. */
const project = () => serverlessProject("", { jwt: false })

describe("AWS Lambda with auth on, no auth.jwt and the memory store", () => {
  it("logs one ERROR line at init saying what to configure, answers every HTTP event 503 with it (/health too), and still runs SQS and direct invocations", async () => {
    const handler = makeHandler({ cwd: project(), env: {} })
    const sqs = { Records: [{ ...(fixture("aws/sqs-batch.json")["Records"] as Array<Record<string, unknown>>)[0]!, messageId: "m-1", body: JSON.stringify(chain("from SQS")) }] }
    const { value, lines } = await captureLogs(async () => ({
      health: (await handler(fixture("aws/apigw-v1-health.json"), { awsRequestId: "first" })) as Proxy,
      execute: (await handler(fixture("aws/apigw-v2-execute.json", { TOKEN: "agm_whatever" }), { awsRequestId: "second" })) as Proxy,
      batch: (await handler(sqs, { awsRequestId: "third" })) as Batch,
      direct: (await handler(chain("invoked directly"), { awsRequestId: "fourth" })) as { status: string; outputs: Record<string, unknown> }
    }))
    expect(errorsIn(lines)).toEqual([expect.objectContaining({ level: "ERROR", message: INIT_ERROR, correlation_id: "health-1" })])
    for (const [r, id] of [[value.health, "health-1"], [value.execute, "JKJaXmPLvHcESHA="]] as const) {
      expect([r.statusCode, r.headers["content-type"], r.headers["x-correlation-id"]]).toEqual([503, "application/json", id])
      expect(JSON.parse(r.body)).toEqual({ ...MISCONFIGURED, correlation_id: id })
    }
    expect([value.batch.batchItemFailures, value.batch.results[0]!.result?.outputs["output"]]).toEqual([[], "from SQS"])
    expect([value.direct.status, value.direct.outputs["output"]]).toEqual(["completed", "invoked directly"])
  })

  it("serves HTTP once auth.enabled is false (AGENTMAP_AUTH__ENABLED=false): no error, no 503", async () => {
    const handler = makeHandler({ cwd: project(), env: { AGENTMAP_AUTH__ENABLED: "false" } })
    const { value, lines } = await captureLogs(async () => (await handler(fixture("aws/apigw-v2-execute.json", { TOKEN: "" }), { awsRequestId: "open" })) as Proxy)
    expect(errorsIn(lines)).toEqual([])
    expect([value.statusCode, JSON.parse(value.body)["status"]]).toEqual([200, "completed"])
  })
})

describe("Azure Functions with auth on, no auth.jwt and the memory store", () => {
  it("logs the init error once, answers HTTP 503 (api/health too), and still runs storage-queue messages", async () => {
    const { http, queue } = azureHandlers({ prefix: "/api", cwd: project(), env: {} })
    const context = (invocationId: string, triggerMetadata?: Record<string, unknown>) =>
      new InvocationContext({ invocationId, functionName: "agentmap", ...(triggerMetadata !== undefined ? { triggerMetadata } : {}) })
    const { value, lines } = await captureLogs(async () => ({
      health: await http(new HttpRequest({ method: "GET", url: "https://agentmap-demo.azurewebsites.net/api/health" }), context("az-1")),
      execute: await http(
        new HttpRequest({ method: "POST", url: "https://agentmap-demo.azurewebsites.net/api/execute/chain", headers: { "x-api-key": "agm_nope" }, body: { string: "{}" } }),
        context("az-2")
      ),
      queued: (await queue(chain("from an Azure queue"), context("az-3", { id: "q-1" }))) as { status: string; outputs: Record<string, unknown> }
    }))
    expect(errorsIn(lines)).toEqual([expect.objectContaining({ message: INIT_ERROR, correlation_id: "az-1" })])
    for (const [r, id] of [[value.health, "az-1"], [value.execute, "az-2"]] as const) {
      expect(r.status).toBe(503)
      expect(JSON.parse(r.body)).toEqual({ ...MISCONFIGURED, correlation_id: id })
    }
    expect([value.queued.status, value.queued.outputs["output"]]).toEqual(["completed", "from an Azure queue"])
  })
})

describe("Google Cloud Functions with auth on, no auth.jwt and the memory store", () => {
  let server: Server | undefined
  afterAll(() => server?.close())

  it("logs the init error once, answers HTTP 503 through the functions framework (/health too), and still runs Pub/Sub events", async () => {
    const { http, cloudEvent } = gcpHandlers({ cwd: project(), env: {} })
    functions.http("agentmapWithoutCredentials", (req, res) => http(req, res))
    server = getTestServer("agentmapWithoutCredentials")
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const { value, lines } = await captureLogs(async () => {
      const health = await fetch(`${url}/health`, { headers: { "function-execution-id": "gcf-1" } })
      const execute = await fetch(`${url}/execute/chain`, { method: "POST", headers: { "function-execution-id": "gcf-2", "content-type": "application/json" }, body: "{}" })
      const published = (await cloudEvent(fixture("gcp/pubsub-structured.json") as never)) as { status: string; outputs: Record<string, unknown> }
      return { health: { status: health.status, body: await health.json() }, execute: { status: execute.status, body: await execute.json() }, published }
    })
    expect(errorsIn(lines)).toEqual([expect.objectContaining({ message: INIT_ERROR, correlation_id: "gcf-1" })])
    expect(value.health).toEqual({ status: 503, body: { ...MISCONFIGURED, correlation_id: "gcf-1" } })
    expect(value.execute).toEqual({ status: 503, body: { ...MISCONFIGURED, correlation_id: "gcf-2" } })
    expect([value.published.status, value.published.outputs["output"]]).toEqual(["completed", "from Pub/Sub (structured)"])
  })
})
