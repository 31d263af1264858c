import { SignJWT } from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningServer, call, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const SECRET = "a-test-secret-that-is-long-enough-for-hs256"
const flow = "GraphName,Node,AgentType,Output_Field\nF,Only,default,out\n"
const now = () => Math.floor(Date.now() / 1000)

/** An HS256 token with exactly the time claims given (seconds since 1970; absent when undefined). */
const token = (times: { iat?: number; exp?: number }) => {
  const jwt = new SignJWT({ sub: "alice", permissions: ["execute"] }).setProtectedHeader({ alg: "HS256" })
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat)
  if (times.exp !== undefined) jwt.setExpirationTime(times.exp)
  return jwt.sign(new TextEncoder().encode(SECRET))
}

const project = (jwt: string) => workspace({ "workflows/f.csv": flow, "agentmap_config.yaml": `auth:\n  jwt:\n    secret: env:JWT_SECRET\n${jwt}` })

describe("JWT time claims: auth.jwt.require_exp (default on) and auth.jwt.max_age_seconds", () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer(project("    max_age_seconds: 3600\n"), [], { JWT_SECRET: SECRET })
  })
  afterAll(async () => {
    await server?.stop()
  })
  const run = async (times: { iat?: number; exp?: number }) =>
    call(`${server.url}/execute/f`, { method: "POST", body: "{}", headers: { authorization: `Bearer ${await token(times)}` } })

  it("accepts a fresh token with an expiry", async () => {
    const r = await run({ iat: now(), exp: now() + 300 })
    expect([r.status, r.body["status"]]).toEqual([200, "completed"])
  })

  it("refuses a token without exp, saying so and how to fix it", async () => {
    const r = await run({ iat: now() })
    expect([r.status, r.body["error"], r.body["message"]]).toEqual([
      401,
      "Unauthenticated",
      "the JWT has no exp claim (auth.jwt.require_exp is on): issue tokens with an expiry, or set auth.jwt.require_exp: false"
    ])
  })

  it("refuses a token issued longer ago than max_age_seconds, with its age, even though it has not expired", async () => {
    const r = await run({ iat: now() - 3700, exp: now() + 300 })
    expect([r.status, r.body["error"]]).toEqual([401, "Unauthenticated"])
    expect(r.body["message"]).toMatch(/^the JWT was issued 370\d s ago, more than auth\.jwt\.max_age_seconds \(3600\)$/)
  })

  it("refuses a token without iat when max_age_seconds is set: its age cannot be known", async () => {
    const r = await run({ exp: now() + 300 })
    expect([r.status, r.body["message"]]).toEqual([
      401,
      "the JWT has no iat claim, so its age cannot be checked against auth.jwt.max_age_seconds (3600): issue tokens with an issued-at time"
    ])
  })

  it("refuses an expired token with how long ago it expired, and allows 30 s of clock difference", async () => {
    const expired = await run({ iat: now() - 600, exp: now() - 120 })
    expect(expired.status).toBe(401)
    expect(expired.body["message"]).toMatch(/^the JWT expired 12\d s ago \(exp \d{4}-\d\d-\d\dT[\d:.]+Z\)$/)
    const justExpired = await run({ iat: now() - 600, exp: now() - 10 })
    expect(justExpired.status).toBe(200)
  })
})

describe("JWTs without exp when AGENTMAP_AUTH__JWT__REQUIRE_EXP=false", () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer(project(""), [], { JWT_SECRET: SECRET, AGENTMAP_AUTH__JWT__REQUIRE_EXP: "false" })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it("accepts a token that never expires, and any age (no max_age_seconds)", async () => {
    const bearer = await token({ iat: now() - 86_400 })
    const r = await call(`${server.url}/execute/f`, { method: "POST", body: "{}", headers: { authorization: `Bearer ${bearer}` } })
    expect([r.status, r.body["status"]]).toEqual([200, "completed"])
  })
})
