import fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import { createWebHandler } from "../../src/adapters/embedding/Handlers.js"
import { serverlessProject, token } from "../support/serverless.js"
import { numRuns } from "./runs.js"

const SEGMENTS = ["execute", "resume", "threads", "workflows", "admin", "diagnose", "health", "openapi.json", "docs", "stream", "chain", "approval", "Chain", "chain::Chain", "..", "%2e%2e", "%2F", "a%00b", "é", "x".repeat(300), "", "::", "team", "sales::Q", ".csv", "chain.csv"]
const segment = fc.oneof(fc.constantFrom(...SEGMENTS), fc.webSegment())
/** Mostly the routes there are, with odd names in them; now and then any path. */
const path = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom("chain", "approval", "chain::Chain", "nope", "..%2Fchain"), fc.option(fc.constantFrom("Chain", "Approval", "X", "stream")), fc.boolean()).map(([w, g, stream]) => `/execute/${w}${g !== null ? `/${g}` : ""}${stream ? "/stream" : ""}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("resume", "threads"), fc.oneof(fc.uuid(), segment)).map(([r, id]) => `/${r}/${id}`) },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom("/workflows", "/health", "/openapi.json", "/docs", "/admin/diagnose"), segment.map((w) => `/workflows/${w}`)) },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join("/")}`) }
)
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ state: fc.jsonValue(), thread_id: fc.oneof(fc.string(), fc.jsonValue()) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ action: fc.oneof(fc.constantFrom("approve", "reject", "continue"), fc.string()), data: fc.jsonValue() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("latin1"))
)

describe("property: the HTTP routes answer any request without a 5xx, and every error as a problem document", () => {
  const { handler, dispose } = createWebHandler({ cwd: serverlessProject("persistence:\n  backend: memory\n"), env: {} })
  afterAll(() => dispose())

  it("random methods, paths, headers and bodies", async () => {
    const bearer = await token()
    const headers = fc.record(
      {
        authorization: fc.oneof({ weight: 4, arbitrary: fc.constant(`Bearer ${bearer}`) }, fc.string().map((s) => `Bearer ${s}`), fc.string()),
        "x-api-key": fc.oneof(fc.constant("agm_nope"), fc.string()),
        "content-type": fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=latin1"),
        origin: fc.constantFrom("https://evil.example", "null"),
        "x-correlation-id": fc.string({ maxLength: 80 })
      },
      { requiredKeys: ["authorization"] }
    )
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: fc.constantFrom("GET", "POST") }, fc.constantFrom("PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"), fc.stringMatching(/^[A-Z][A-Z-]{0,8}$/)), path, headers, body, fc.string({ maxLength: 30 }), async (method, route, hs, payload, query) => {
        let request: Request
        try {
          const clean = Object.fromEntries(Object.entries(hs).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v)))
          request = new Request(`http://agentmap.test${route}?${encodeURIComponent(query)}`, {
            method,
            headers: clean,
            ...(payload !== undefined && method !== "GET" ? { body: payload } : {})
          })
        } catch {
          return // not a request a client could send
        }
        const res = await handler(request)
        const text = await res.text()
        expect(res.status, `${method} ${route} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500)
        if (res.status >= 400) {
          expect(res.headers.get("content-type") ?? "").toContain("json")
          const doc = JSON.parse(text) as { error?: unknown; message?: unknown }
          expect(typeof doc.error === "string" && typeof doc.message === "string" && doc.message.length > 0, text).toBe(true)
        }
      }),
      { numRuns: numRuns(300) }
    )
  }, 600_000)
})
