import * as fs from "node:fs"
import * as path from "node:path"
import { SignJWT } from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { llmEnv } from "../support/llm.js"
import { type Reply, type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

/**
 * `serve` logs as an operator's log aggregator reads them: JSON lines on stdout (not a terminal),
 * each with timestamp, level and message, and every line of a run with its correlation id, trace
 * and span ids, graph, thread and (inside a node) node. And no secret in any of them at debug
 * level: API key, JWT, the JWT secret, the LLM key, written to stdout, stderr or the log file.
 */
const JWT_SECRET = "jwt-secret-for-the-structured-logs-test-0123456789"
const LLM_KEY = "sk-ant-structured-logs-leakcheck-4242"

const jwtFor = (sub: string) =>
  new SignJWT({ sub, permissions: ["execute", "read"] })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(JWT_SECRET))

const project = (logging: string) =>
  workspace({
    "agentmap_config.yaml": [
      "logging:",
      ...logging.split("\n").map((l) => `  ${l}`),
      "auth:",
      "  jwt:",
      "    secret: env:JWT_SECRET",
      "llm:",
      "  anthropic:",
      `    api_key: ${LLM_KEY}`,
      ""
    ].join("\n"),
    "workflows/chat.csv": [
      "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt",
      "Chat,Answer,claude,question,answer,Note,Answer briefly.",
      "Chat,Note,noter,answer,final,,",
      ""
    ].join("\n"),
    // a careless agent: logs what it should not (the loggers' safety net must mask it)
    "custom_agents/noter.ts": [
      `import { defineAgent } from "agentmap"`,
      `export default defineAgent({`,
      `  run: (ctx) => {`,
      `    ctx.log.info("noted the answer", { chars: String(ctx.inputs["answer"]).length })`,
      `    ctx.log.debug("careless: key " + process.env["CARELESS_KEY"], { header: "Bearer " + process.env["CARELESS_JWT"] })`,
      `    return "noted"`,
      `  }`,
      `})`
    ].join("\n")
  })

type Line = Record<string, unknown>
const parseLines = (text: string): ReadonlyArray<Line> =>
  text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Line)

const execute = (server: RunningServer, auth: { key?: string; jwt?: string }, correlation?: string): Promise<Reply> =>
  call(`${server.url}/execute/chat`, {
    method: "POST",
    body: JSON.stringify({ state: { question: "Why is the sky blue?" } }),
    headers: {
      ...(auth.jwt !== undefined ? { authorization: `Bearer ${auth.jwt}` } : {}),
      ...(correlation !== undefined ? { "x-correlation-id": correlation } : {})
    },
    ...(auth.key !== undefined ? { key: auth.key } : {})
  })

describe("serve: JSON log lines on stdout", () => {
  let fake: FakeLlm
  let server: RunningServer
  let key: string
  let jwt: string
  beforeAll(async () => {
    fake = await startFakeLlm()
    const dir = project("level: debug")
    key = createKey(dir, "logs")
    jwt = await jwtFor("alice")
    server = await startServer(dir, [], { ...llmEnv(fake), ANTHROPIC_API_KEY: "", JWT_SECRET, CARELESS_KEY: LLM_KEY, CARELESS_JWT: jwt })
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.close()
  })

  it("every line parses; the lines of a run carry correlation_id, trace_id, span_id, graph, thread_id, and node inside a node", async () => {
    const r = await execute(server, { key }, "logs-test-1")
    expect([r.status, r.body["status"]]).toEqual([200, "completed"])
    const threadId = r.body["thread_id"] as string
    const lines = parseLines(server.stdout())
    for (const line of lines) {
      expect(typeof line["timestamp"]).toBe("string")
      expect(Number.isNaN(Date.parse(line["timestamp"] as string))).toBe(false)
      expect(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]).toContain(line["level"])
      expect(typeof line["message"]).toBe("string")
    }
    const ofRun = lines.filter((l) => l["thread_id"] === threadId)
    // the model call (debug, in node Answer) and the agent's own lines (node Note)
    expect(ofRun.map((l) => l["message"])).toEqual(expect.arrayContaining([expect.stringMatching(/^anthropic\/.* answered/), "noted the answer", "run completed"]))
    for (const line of ofRun) {
      expect(line).toMatchObject({ correlation_id: "logs-test-1", graph: "Chat", thread_id: threadId })
      expect(line["trace_id"]).toMatch(/^[0-9a-f]{16,32}$/)
      expect(typeof line["span_id"]).toBe("string")
    }
    expect(new Set(ofRun.map((l) => l["trace_id"])).size).toBe(1)
    expect(ofRun.find((l) => l["message"] === "noted the answer")).toMatchObject({ node: "Note", level: "INFO", chars: expect.anything() })
    expect(ofRun.find((l) => String(l["message"]).startsWith("anthropic/"))).toMatchObject({ node: "Answer", level: "DEBUG" })
    expect(ofRun.find((l) => l["message"] === "run completed")).toMatchObject({ level: "INFO", status: "completed", nodes: 2, duration_ms: expect.any(Number) })
    // the access log line of the request, with its status and the same correlation id
    expect(lines.find((l) => l["message"] === "http request" && l["correlation_id"] === "logs-test-1")).toMatchObject({ method: "POST", path: "/execute/chat", status: 200 })
  })

  it("two runs have two correlation ids and two traces", async () => {
    const [a, b] = [await execute(server, { key }), await execute(server, { jwt })]
    const lines = parseLines(server.stdout())
    const first = lines.filter((l) => l["thread_id"] === a.body["thread_id"])
    const second = lines.filter((l) => l["thread_id"] === b.body["thread_id"])
    expect(first.length).toBeGreaterThan(0)
    expect(second.length).toBeGreaterThan(0)
    expect(first[0]!["correlation_id"]).toBe(a.headers.get("x-correlation-id"))
    expect(second[0]!["correlation_id"]).toBe(b.headers.get("x-correlation-id"))
    expect(first[0]!["trace_id"]).not.toBe(second[0]!["trace_id"])
  })
})

describe("no secret in any log line at debug level (HTTP with auth, an LLM node, the log file on)", () => {
  let fake: FakeLlm
  let server: RunningServer
  let dir: string
  let key: string
  let jwt: string
  beforeAll(async () => {
    fake = await startFakeLlm()
    dir = project("level: debug\nfile: logs/agentmap.log")
    key = createKey(dir, "secrets")
    jwt = await jwtFor("bob")
    server = await startServer(dir, [], { ...llmEnv(fake), ANTHROPIC_API_KEY: "", JWT_SECRET, CARELESS_KEY: LLM_KEY, CARELESS_JWT: jwt })
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.close()
  })

  it("grep stdout, stderr and the log file for every secret: none", async () => {
    expect((await execute(server, { key })).body["status"]).toBe("completed")
    expect((await execute(server, { jwt })).body["status"]).toBe("completed")
    // a refused credential is logged too (its request line), never its value
    const wrongKey = `agm_${"x".repeat(40)}`
    expect((await execute(server, { key: wrongKey })).status).toBe(401)
    expect((await call(`${server.url}/health`, { headers: { authorization: `Bearer ${jwt}`, "x-api-key": key } })).status).toBe(200)
    // the model was called with the configured key: it was in use while the lines were written
    expect(fake.requests.map((q) => q.headers["x-api-key"])).toContain(LLM_KEY)
    const file = path.join(dir, "logs", "agentmap.log")
    const logged = fs.readFileSync(file, "utf8")
    const lines = parseLines(logged)
    expect(lines.some((l) => l["level"] === "DEBUG")).toBe(true)
    expect(lines.some((l) => l["message"] === "http request headers")).toBe(true)
    // the careless agent's line is there, masked
    const careless = lines.find((l) => String(l["message"]).startsWith("careless"))
    expect(careless).toMatchObject({ message: "careless: key [REDACTED]", header: "Bearer [REDACTED]" })
    const everything = [server.stdout(), server.stderr(), logged].join("\n")
    const signature = jwt.split(".")[2]!
    for (const secret of [key, jwt, signature, JWT_SECRET, LLM_KEY, wrongKey])
      for (const [n, line] of everything.split("\n").entries()) expect(line.includes(secret), `line ${n} holds a secret: ${line}`).toBe(false)
  })
})
