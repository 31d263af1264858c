import * as fs from "node:fs"
import * as path from "node:path"
import { HttpRequest, InvocationContext } from "@azure/functions"
import { beforeAll, describe, expect, it } from "vitest"
import { makeHandlers } from "../../src/adapters/serverless/azure/Handlers.js"
import { registrations } from "../support/azure.js"
import { fixture, serverlessProject, token } from "../support/serverless.js"

const root = path.resolve(import.meta.dirname, "..", "..")

describe("Azure Functions handlers with @azure/functions request objects", () => {
  let handlers: ReturnType<typeof makeHandlers>
  let bearer: string
  const context = (invocationId: string, triggerMetadata?: Record<string, unknown>) =>
    new InvocationContext({ invocationId, functionName: "agentmap", ...(triggerMetadata !== undefined ? { triggerMetadata } : {}) })

  beforeAll(async () => {
    handlers = makeHandlers({ prefix: "/api", cwd: serverlessProject(), env: {} })
    bearer = await token()
  })

  it("serves the HTTP routes under api/, the invocation id as correlation id", async () => {
    const f = fixture("azure/http-execute.json", { TOKEN: bearer }) as { method: string; url: string; headers: Record<string, string>; body: string; invocationId: string }
    const r = await handlers.http(new HttpRequest({ method: f.method, url: f.url, headers: f.headers, body: { string: f.body } }), context(f.invocationId))
    const body = JSON.parse(r.body) as Record<string, unknown>
    expect([r.status, body["status"], (body["outputs"] as Record<string, unknown>)["output"]]).toEqual([200, "completed", "from Azure HTTP"])
    expect([r.headers["x-correlation-id"], body["correlation_id"]]).toEqual([f.invocationId, f.invocationId])
    const health = await handlers.http(new HttpRequest({ method: "GET", url: "https://agentmap-demo.azurewebsites.net/api/health" }), context("h-1"))
    expect(health.status).toBe(200)
    const outside = await handlers.http(new HttpRequest({ method: "GET", url: "https://agentmap-demo.azurewebsites.net/health" }), context("h-2"))
    expect(outside.status).toBe(404)
    const refused = await handlers.http(
      new HttpRequest({ method: "POST", url: "https://agentmap-demo.azurewebsites.net/api/execute/chain", body: { string: "{}" } }),
      context("h-3")
    )
    expect(refused.status).toBe(401)
  })

  it("runs a storage-queue message once per message id", async () => {
    const f = fixture("azure/queue-message.json") as { item: unknown; invocationId: string; triggerMetadata: Record<string, unknown> }
    const first = (await handlers.queue(f.item, context(f.invocationId, f.triggerMetadata))) as { status: string; thread_id: string; outputs: Record<string, unknown> }
    expect([first.status, first.outputs["output"]]).toEqual(["completed", "from an Azure storage queue"])
    const again = (await handlers.queue(f.item, context("another-invocation", f.triggerMetadata))) as { thread_id: string; duplicate?: boolean }
    expect([again.thread_id, again.duplicate]).toEqual([first.thread_id, true])
    // the host may hand a JSON message over as text
    const asText = (await handlers.queue(JSON.stringify(f.item), context("text-1", { id: "text-message" }))) as { status: string }
    expect(asText.status).toBe("completed")
  })

  it("throws for a message it cannot use, so the host retries and finally poison-queues it", async () => {
    const f = fixture("azure/queue-malformed.json") as { item: unknown; invocationId: string; triggerMetadata: Record<string, unknown> }
    await expect(handlers.queue(f.item, context(f.invocationId, f.triggerMetadata))).rejects.toThrow(/not JSON/)
    await expect(handlers.queue({ workflow: "nope" }, context("q-2", { id: "m-2" }))).rejects.toThrow(/WorkflowNotFound/)
    await expect(handlers.queue({ workflow: "../x" }, context("q-3", { id: "m-3" }))).rejects.toThrow(/InvalidRequest/)
    // a failed message is not remembered as done: the retry runs it again (and fails again, loudly)
    await expect(handlers.queue({ workflow: "nope" }, context("q-4", { id: "m-2" }))).rejects.toThrow(/WorkflowNotFound/)
  })
})

describe("agentmap/azure registration (v4 programming model)", () => {
  it("registers an HTTP function for every route and a storage-queue function on the configured queue", () => {
    const dir = serverlessProject()
    fs.appendFileSync(path.join(dir, "agentmap_config.yaml"), "\n  azure:\n    queue_name: orders-to-run\n    connection: OrdersStorage\n")
    const withDefault = registrations(path.join(root, "dist", "azure.mjs"))
    const http = withDefault.find((r) => r.metadata.name === "agentmap")!
    const queue = withDefault.find((r) => r.metadata.name === "agentmapQueue")!
    const trigger = (r: typeof http) => Object.values(r.metadata.bindings).find((b) => String(b["type"]).endsWith("Trigger"))!
    expect(trigger(http)).toMatchObject({ type: "httpTrigger", route: "{*path}", authLevel: "anonymous", methods: ["GET", "POST", "OPTIONS"] })
    expect(trigger(queue)).toMatchObject({ type: "queueTrigger", queueName: "agentmap-runs", connection: "AzureWebJobsStorage" })
    expect([http.handler, queue.handler]).toEqual(["function", "function"])
    const configured = registrations(path.join(root, "dist", "azure.mjs"), { AGENTMAP_CONFIG_FILE: path.join(dir, "agentmap_config.yaml") })
    expect(trigger(configured.find((r) => r.metadata.name === "agentmapQueue")!)).toMatchObject({ queueName: "orders-to-run", connection: "OrdersStorage" })
  })
})
