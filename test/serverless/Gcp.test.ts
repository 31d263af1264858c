import type { Server } from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import { getTestServer } from "@google-cloud/functions-framework/testing"
import Database from "better-sqlite3"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fixture, serverlessProject, token } from "../support/serverless.js"

/** The functions framework's own server for a registered target, listening on loopback. */
const listen = async (target: string) => {
  const server: Server = getTestServer(target)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

describe("Google Cloud Functions through the functions framework, over HTTP", () => {
  let http: { server: Server; url: string }
  let events: { server: Server; url: string }
  let bearer: string
  let dir: string
  /** The result documents of every thread run so far, from the SQLite file the functions use. */
  const outputs = () => {
    const db = new Database(path.join(dir, ".agentmap", "agentmap.db"), { readonly: true })
    try {
      return (db.prepare("SELECT result FROM agentmap_threads").all() as Array<{ result: string }>).map((r) => (JSON.parse(r.result) as { outputs: Record<string, unknown> }).outputs)
    } finally {
      db.close()
    }
  }

  beforeAll(async () => {
    dir = serverlessProject("persistence:\n  backend: sqlite\n")
    process.env["AGENTMAP_CONFIG_FILE"] = path.join(dir, "agentmap_config.yaml")
    // importing the module registers `agentmap` and `agentmapEvents` with the framework
    await import("../../src/main/gcp.js")
    http = await listen("agentmap")
    events = await listen("agentmapEvents")
    bearer = await token()
  })
  afterAll(() => {
    delete process.env["AGENTMAP_CONFIG_FILE"]
    http?.server.close()
    events?.server.close()
  })

  it("serves the HTTP routes with the execution id as correlation id", async () => {
    const f = fixture("gcp/http-execute.json", { TOKEN: bearer }) as { method: string; path: string; headers: Record<string, string>; body: string }
    const r = await fetch(`${http.url}${f.path}`, { method: f.method, headers: f.headers, body: f.body })
    const body = (await r.json()) as Record<string, unknown>
    expect([r.status, body["status"], (body["outputs"] as Record<string, unknown>)["output"]]).toEqual([200, "completed", "from Cloud Functions HTTP"])
    expect([r.headers.get("x-correlation-id"), body["correlation_id"]]).toEqual(["gcf-exec-0001", "gcf-exec-0001"])
    const health = await fetch(`${http.url}/health`)
    expect(health.status).toBe(200)
    const refused = await fetch(`${http.url}/execute/chain`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
    expect([refused.status, ((await refused.json()) as Record<string, unknown>)["error"]]).toEqual([401, "Unauthenticated"])
    const traversal = await fetch(`${http.url}/execute/..%2F..%2Fetc%2Fpasswd`, { method: "POST", headers: { authorization: `Bearer ${bearer}` }, body: "{}" })
    expect(traversal.status).toBe(400)
  })

  const structured = (event: Record<string, unknown>) =>
    fetch(events.url, { method: "POST", headers: { "content-type": "application/cloudevents+json" }, body: JSON.stringify(event) })
  const binary = (f: { headers: Record<string, string>; body: unknown }) => fetch(events.url, { method: "POST", headers: f.headers, body: JSON.stringify(f.body) })

  it("runs a Pub/Sub message delivered in structured mode (base64 message.data)", async () => {
    const r = await structured(fixture("gcp/pubsub-structured.json"))
    expect(r.status).toBe(200)
    expect(outputs().filter((o) => o["output"] === "from Pub/Sub (structured)")).toHaveLength(1)
  })

  it("runs a Pub/Sub message delivered in binary mode, once per message id", async () => {
    const f = fixture("gcp/pubsub-binary.json") as { headers: Record<string, string>; body: unknown }
    const first = await binary(f)
    expect(first.status).toBe(200)
    const again = await binary(f)
    expect(again.status).toBe(200)
    expect(outputs().filter((o) => o["output"] === "from Pub/Sub (binary)")).toHaveLength(1)
  })

  it("runs Cloud Storage object finalized events through triggers.gcs, binary and structured", async () => {
    const b = await binary(fixture("gcp/storage-finalized-binary.json") as { headers: Record<string, string>; body: unknown })
    expect(b.status).toBe(200)
    const s = await structured(fixture("gcp/storage-finalized-structured.json"))
    expect(s.status).toBe(200)
    const objects = outputs().flatMap((o) => (o["object"] === undefined ? [] : [o["object"] as Record<string, unknown>]))
    expect(objects.map((o) => o["name"]).sort()).toEqual(["reports/q3 summary.txt", "reports/q4.txt"])
    expect(objects.find((o) => o["name"] === "reports/q3 summary.txt")).toMatchObject({ bucket: "agentmap-inbox", size: 2048, content_type: "text/plain" })
  })

  it.each(["malformed-pubsub-invalid-base64.json", "malformed-pubsub-bad-json.json", "malformed-pubsub-traversal.json"])(
    "%s: the function throws, so the platform retries or dead-letters it",
    async (name) => {
      const before = outputs().length
      const r = await structured(fixture(`gcp/${name}`))
      expect(r.status).toBeGreaterThanOrEqual(500)
      expect(outputs()).toHaveLength(before)
    }
  )
})

describe("Google Cloud Functions handlers called directly", () => {
  it("resolve CloudEvents to the result document and reject unusable ones with the reason", async () => {
    const dir = serverlessProject()
    const { makeHandlers } = await import("../../src/adapters/serverless/gcp/Handlers.js")
    const { cloudEvent } = makeHandlers({ cwd: dir, env: {} })
    const event = fixture("gcp/pubsub-structured.json") as never
    const first = (await cloudEvent(event)) as { status: string; thread_id: string; outputs: Record<string, unknown> }
    expect([first.status, first.outputs["output"]]).toEqual(["completed", "from Pub/Sub (structured)"])
    const again = (await cloudEvent(event)) as { thread_id: string; duplicate?: boolean }
    expect([again.thread_id, again.duplicate]).toEqual([first.thread_id, true])
    const stored = (await cloudEvent(fixture("gcp/storage-finalized-structured.json") as never)) as { outputs: Record<string, unknown> }
    expect(stored.outputs["object"]).toMatchObject({ bucket: "agentmap-inbox", name: "reports/q4.txt", size: 10, content_type: "text/plain", generation: "1795766403000000" })
    await expect(cloudEvent(fixture("gcp/malformed-pubsub-invalid-base64.json") as never)).rejects.toThrow(/not valid base64/)
    await expect(cloudEvent(fixture("gcp/malformed-pubsub-bad-json.json") as never)).rejects.toThrow(/not JSON/)
    await expect(cloudEvent(fixture("gcp/malformed-pubsub-traversal.json") as never)).rejects.toThrow(/InvalidRequest/)
    await expect(cloudEvent({ id: "x", type: "google.cloud.audit.log.v1.written", data: {} })).rejects.toThrow(/not a trigger this handler knows/)
  })
})
