import { SignJWT } from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const SECRET = "a-test-secret-that-is-long-enough-for-hs256"
const flow = "GraphName,Node,AgentType,Output_Field\nF,Only,default,out\n"

const token = (claims: Record<string, unknown>, options: { audience?: string; expires?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("https://issuer.example")
    .setAudience(options.audience ?? "agentmap")
    .setIssuedAt()
    .setExpirationTime(options.expires ?? "5m")
    .sign(new TextEncoder().encode(SECRET))

describe("JWT bearer tokens", () => {
  let server: RunningServer
  beforeAll(async () => {
    const dir = workspace({
      "workflows/f.csv": flow,
      "agentmap_config.yaml": `auth:\n  jwt:\n    secret: env:JWT_SECRET\n    issuer: https://issuer.example\n    audience: agentmap\n`
    })
    server = await startServer(dir, [], { JWT_SECRET: SECRET })
  })
  afterAll(async () => {
    await server?.stop()
  })
  const run = (bearer: string) => call(`${server.url}/execute/f`, { method: "POST", body: "{}", headers: { authorization: `Bearer ${bearer}` } })

  it("starts without any API key when JWTs are configured, and takes permissions from `permissions` or `scope`", async () => {
    const byArray = await run(await token({ sub: "alice", permissions: ["execute"] }))
    expect([byArray.status, byArray.body["status"]]).toEqual([200, "completed"])
    expect((await run(await token({ sub: "bob", scope: "read execute" }))).status).toBe(200)
    expect((await run(await token({ sub: "carol", scope: "read" }))).status).toBe(403)
  })

  it("refuses a wrong audience, an expired token, a missing subject and garbage, without echoing the token", async () => {
    for (const bad of [
      await token({ sub: "a", permissions: ["execute"] }, { audience: "someone-else" }),
      await token({ sub: "a", permissions: ["execute"] }, { expires: "2 minutes ago" }),
      await token({ permissions: ["execute"] }),
      "not.a.jwt"
    ]) {
      const r = await run(bad)
      expect([r.status, r.body["error"]]).toEqual([401, "Unauthenticated"])
      expect(r.text).not.toContain(bad)
    }
  })

  it("keeps a thread to the JWT subject that started it", async () => {
    const alice = await token({ sub: "alice", scope: "read execute" })
    const started = await run(alice)
    const id = started.body["thread_id"] as string
    const mallory = await token({ sub: "mallory", scope: "read execute" })
    expect((await call(`${server.url}/threads/${id}`, { headers: { authorization: `Bearer ${mallory}` } })).status).toBe(404)
    expect((await call(`${server.url}/threads/${id}`, { headers: { authorization: `Bearer ${alice}` } })).status).toBe(200)
  })
})

describe("CORS and rate limits", () => {
  let open: RunningServer
  let limited: RunningServer
  let key: string
  beforeAll(async () => {
    const plain = workspace({ "workflows/f.csv": flow, "agentmap_config.yaml": "http:\n  rate_limit:\n    per_key_per_minute: 3\n" })
    key = createKey(plain, "k")
    limited = await startServer(plain)
    const cors = workspace({ "workflows/f.csv": flow, "agentmap_config.yaml": "http:\n  cors:\n    allow_origins: [https://app.example, https://admin.example]\n" })
    createKey(cors, "k")
    open = await startServer(cors)
  })
  afterAll(async () => {
    await open?.stop()
    await limited?.stop()
  })

  it("gives no cross-origin access by default", async () => {
    const r = await call(`${limited.url}/health`, { headers: { origin: "https://evil.example" } })
    expect(r.headers.get("access-control-allow-origin")).toBeNull()
  })

  it("allows configured origins only, on preflights and requests, never with '*'", async () => {
    const preflight = await fetch(`${open.url}/execute/f`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "x-api-key, content-type" }
    })
    expect(preflight.status).toBeLessThan(300)
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example")
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-api-key")
    const other = await call(`${open.url}/health`, { headers: { origin: "https://evil.example" } })
    expect(other.headers.get("access-control-allow-origin")).toBeNull()
    const allowed = await call(`${open.url}/health`, { headers: { origin: "https://admin.example" } })
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://admin.example")
  })

  it("answers 429 with Retry-After once a key exceeds its per-minute limit", async () => {
    const statuses: Array<number> = []
    let retryAfter: string | null = null
    for (let i = 0; i < 5; i++) {
      const r = await call(`${limited.url}/execute/f`, { method: "POST", body: "{}", key })
      statuses.push(r.status)
      if (r.status === 429) retryAfter = r.headers.get("retry-after")
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    expect(Number(retryAfter)).toBeGreaterThan(0)
  })
})
