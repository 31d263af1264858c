import * as fs from "node:fs"
import * as http from "node:http"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ROOT, agentmap } from "../support/cli.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Input_Fields,Output_Field,Prompt"
const files = {
  "agentmap_config.yaml": "http:\n  max_body_bytes: 2048\nlogging:\n  level: debug\n",
  "workflows/greet.csv": `${HEADER}\nGreet,Ask,input,Say,,,name,Name?\nGreet,Say,echo,,,name,greeting,Hello {name}\nOther,Only,default,,,,out,\n`,
  "workflows/team/sales.csv": `${HEADER}\nQualify,Check,default,,,,qualified,qualify\n`,
  "workflows/broken.csv": `${HEADER}\nB,A,echo,Nowhere,,,,\n`,
  "workflows/wait.csv": `${HEADER}\nW,Hold,suspend,After,,,answer,hold on\nW,After,echo,,,answer,done,\n`,
  "secret.csv": `${HEADER}\nS,S,default,,,,s,secret\n`
}

let server: RunningServer
let dir: string
let key: string
let readOnly: string
let admin: string

beforeAll(async () => {
  dir = workspace(files)
  expect(agentmap(["serve", "--port", "0"], { cwd: dir }).stderr).toContain("agentmap auth generate-key")
  key = createKey(dir, "runner")
  readOnly = createKey(dir, "reader", "read")
  admin = createKey(dir, "boss", "admin")
  server = await startServer(dir)
})
afterAll(async () => {
  await server?.stop()
})

/** POST with the `runner` key by default; `null` sends no credentials. */
const post = (path: string, body: unknown, k: string | null = key, headers: Record<string, string> = {}) =>
  call(`${server.url}${path}`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), ...(k !== null ? { key: k } : {}), headers })

describe("HTTP API", () => {
  it("serves health, the OpenAPI document and the docs page without credentials", async () => {
    const health = await call(`${server.url}/health`)
    expect([health.status, health.body["status"]]).toEqual([200, "ok"])
    const openapi = await call(`${server.url}/openapi.json`)
    expect(openapi.status).toBe(200)
    expect(Object.keys(openapi.body["paths"] as object)).toEqual(expect.arrayContaining(["/execute/{workflow}/{graph}", "/resume/{thread_id}", "/workflows", "/health", "/admin/diagnose"]))
    const docs = await call(`${server.url}/docs`)
    expect([docs.status, docs.headers.get("content-type")]).toEqual([200, expect.stringContaining("text/html")])
  })

  it("says one version everywhere: package.json's, in /health, /openapi.json and agentmap --version", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }
    const health = await call(`${server.url}/health`)
    const openapi = await call(`${server.url}/openapi.json`)
    const cli = agentmap(["--version"], { cwd: dir })
    expect({ health: health.body["version"], openapi: (openapi.body["info"] as Record<string, unknown>)["version"], cli: cli.stdout.trim() }).toEqual({
      health: version,
      openapi: version,
      cli: version
    })
  })

  it("runs a graph by {workflow}/{graph}, {workflow::Graph}, a bare workflow and a sub-folder workflow", async () => {
    const a = await post("/execute/greet/Greet", { state: { name: "Ada" } })
    expect([a.status, a.body["status"], (a.body["outputs"] as Record<string, unknown>)["greeting"]]).toEqual([200, "completed", "Hello Ada"])
    expect(a.headers.get("x-correlation-id")).toBe(a.body["correlation_id"])
    expect((await post("/execute/greet::Other", {})).body["graph_name"]).toBe("Other")
    expect((await post("/execute/greet", { state: { name: "Bo" } })).body["graph_name"]).toBe("Greet")
    expect((await post("/execute/team/sales::Qualify", {})).body["graph_name"]).toBe("Qualify")
    const suspended = await post("/execute/greet/Greet", {})
    expect([suspended.status, suspended.body["status"], (suspended.body["interrupt"] as Record<string, unknown>)["type"]]).toEqual([200, "suspended", "input"])
  })

  it("answers every error as { error, message } with the contract's status", async () => {
    const cases: ReadonlyArray<[string, Promise<{ status: number; body: Record<string, unknown> }>, number, string]> = [
      ["no credentials", post("/execute/greet", {}, null), 401, "Unauthenticated"],
      ["bad key", post("/execute/greet", {}, "agm_not-a-key"), 401, "Unauthenticated"],
      ["read-only key", post("/execute/greet", {}, readOnly), 403, "Forbidden"],
      ["malformed JSON", post("/execute/greet", "{nope"), 400, "BadRequest"],
      ["schema violation", post("/execute/greet", { state: "not an object" }), 400, "BadRequest"],
      ["too large", post("/execute/greet", { state: { blob: "x".repeat(5000) } }), 413, "PayloadTooLarge"],
      ["unknown workflow", post("/execute/nope", {}), 404, "WorkflowNotFound"],
      ["unknown graph", post("/execute/greet/Nope", {}), 404, "GraphNotFound"],
      ["invalid workflow", post("/execute/broken", {}), 422, "InvalidWorkflow"],
      ["dot-dot", post("/execute/..%2Fsecret", {}), 400, "InvalidRequest"],
      ["csv file path", post("/execute/secret.csv", {}), 400, "InvalidRequest"],
      ["unknown route", call(`${server.url}/nothing/here`), 404, "NotFound"]
    ]
    for (const [label, pending, status, error] of cases) {
      const r = await pending
      expect({ label, status: r.status, error: r.body["error"], message: typeof r.body["message"] }).toEqual({ label, status, error, message: "string" })
    }
    const invalid = await post("/execute/broken", {})
    expect(invalid.body["diagnostics"]).toEqual([expect.objectContaining({ line: 2, column: 4, code: "unknown-target" })])
  })

  it("refuses body keys the route does not take with a 400 that names them and shows the expected body", async () => {
    // the state without its wrapper: before, this ran with an empty state and suspended asking for the name
    const unwrapped = await post("/execute/greet/Greet", { name: "Ada" })
    expect([unwrapped.status, unwrapped.body["error"], unwrapped.body["message"]]).toEqual([
      400,
      "BadRequest",
      `unknown key 'name' in the request body; expected {"state": {...}, "thread_id"?: "..."}`
    ])
    // a streamed run is refused before its stream starts; keys Object.prototype has are unknown too
    const streamed = await post("/execute/greet/Greet/stream", { state: { name: "Ada" }, name: "Ada", constructor: 1 })
    expect([streamed.status, streamed.headers.get("content-type"), streamed.body["message"]]).toEqual([
      400,
      expect.stringContaining("application/json"),
      expect.stringMatching(/^unknown keys 'name', 'constructor' in the request body; expected \{"state"/)
    ])
    const started = await post("/execute/wait", {})
    const id = started.body["thread_id"] as string
    // the original's field names are not silently taken as a plain `continue`
    const legacy = await post(`/resume/${id}`, { response_action: "approve", response_data: { ok: 1 } })
    expect([legacy.status, legacy.body["message"]]).toEqual([400, `unknown keys 'response_action', 'response_data' in the request body; expected {"action"?: "approve", "data"?: ...}`])
    // nothing ran: the interrupt is still there for a right body
    const resumed = await post(`/resume/${id}`, { action: "approve", data: { ok: 1 } })
    expect([resumed.status, resumed.body["status"]]).toEqual([200, "completed"])
  })

  it("runs an empty body as no state, as before", async () => {
    const empty = await post("/execute/greet/Greet", "")
    expect([empty.status, empty.body["status"], (empty.body["interrupt"] as Record<string, unknown>)["node"]]).toEqual([200, "suspended", "Ask"])
  })

  it("reads chunked bodies (no Content-Length) within http.max_body_bytes and refuses larger ones with 413", async () => {
    const chunked = (text: string) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const url = new URL(`${server.url}/execute/greet/Greet`)
        const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "x-api-key": key, "content-type": "application/json" } }, (res) => {
          let data = ""
          res.on("data", (d: Buffer) => (data += d.toString()))
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as Record<string, unknown> }))
        })
        req.on("error", reject)
        // written in pieces, so Node sends Transfer-Encoding: chunked and no length
        for (let i = 0; i < text.length; i += 500) req.write(text.slice(i, i + 500))
        req.end()
      })
    const small = await chunked(JSON.stringify({ state: { name: "Chunk".repeat(100) } }))
    expect([small.status, (small.body["outputs"] as Record<string, unknown>)["greeting"]]).toEqual([200, `Hello ${"Chunk".repeat(100)}`])
    const large = await chunked(JSON.stringify({ state: { name: "x".repeat(5000) } }))
    expect([large.status, large.body["error"]]).toEqual([413, "PayloadTooLarge"])
  })

  it("refuses paths that climb out of the repository, however they are written", async () => {
    for (const path of ["/execute/..%2F..%2Fsecret", "/execute/team%2Fsales::Qualify", "/execute/%2e%2e/secret", "/execute/team/../secret"]) {
      const r = await fetch(`${server.url}${path}`, { method: "POST", headers: { "x-api-key": key }, body: "{}" })
      expect({ path, status: [400, 404].includes(r.status) }).toEqual({ path, status: true })
    }
  })

  it("resumes once: a second resume of the same interrupt is 409, bad actions 400, unknown threads 404", async () => {
    const started = await post("/execute/wait", {})
    const id = started.body["thread_id"] as string
    expect((await post(`/resume/${id}`, { action: "dance" })).status).toBe(400)
    const first = await post(`/resume/${id}`, { action: "approve", data: { ok: 1 } })
    expect([first.status, first.body["status"]]).toEqual([200, "completed"])
    const second = await post(`/resume/${id}`, { action: "approve" })
    expect([second.status, second.body["error"]]).toEqual([409, "ThreadFinished"])
    expect((await post("/resume/no-such-thread", {})).status).toBe(404)
  })

  it("keeps threads to the principal that started them (and admins)", async () => {
    const other = createKey(dir, `other-${Date.now()}`)
    const started = await post("/execute/wait", {}, other)
    const id = started.body["thread_id"] as string
    expect((await call(`${server.url}/threads/${id}`, { key })).status).toBe(404)
    expect((await post(`/resume/${id}`, {}, key)).status).toBe(404)
    const mine = await call(`${server.url}/threads/${id}`, { key: other })
    expect([mine.status, mine.body["status"]]).toEqual([200, "suspended"])
    expect((await post(`/resume/${id}`, {}, admin)).body["status"]).toBe("completed")
  })

  it("lists workflows and describes a graph for read keys; diagnose needs admin", async () => {
    const list = await call(`${server.url}/workflows`, { key: readOnly })
    expect(list.body["workflows"]).toEqual(expect.arrayContaining([{ name: "team/sales", graphs: ["Qualify"], valid: true }, { name: "broken", graphs: ["B"], valid: false }]))
    const detail = await call(`${server.url}/workflows/greet::Greet`, { key: readOnly })
    expect(detail.body["graphs"]).toEqual([expect.objectContaining({ graph: "Greet", entry: "Ask", nodes: expect.arrayContaining([expect.objectContaining({ name: "Say", agent_type: "echo" })]) })])
    expect((await call(`${server.url}/admin/diagnose`, { key })).status).toBe(403)
    const diagnose = await call(`${server.url}/admin/diagnose`, { key: admin })
    expect(diagnose.body).toMatchObject({ persistence: { reachable: true }, workflows: { count: 4, invalid: ["broken"] } })
  })

  it("refuses a revoked key from the next request on, and never logs keys", async () => {
    const doomed = createKey(dir, `doomed-${Date.now()}`)
    expect((await post("/execute/greet", { state: { name: "x" } }, doomed)).status).toBe(200)
    expect(agentmap(["auth", "revoke-key", doomed], { cwd: dir }).status).toBe(0)
    const refused = await post("/execute/greet", { state: { name: "x" } }, doomed)
    expect([refused.status, refused.body["message"]]).toEqual([401, "this API key was revoked"])
    for (const k of [key, readOnly, admin, doomed]) expect(server.stderr() + server.stdout()).not.toContain(k)
  })

  it("accepts the key as a Bearer token too", async () => {
    const r = await post("/execute/greet", { state: { name: "z" } }, null, { authorization: `Bearer ${key}` })
    expect(r.status).toBe(200)
  })
})
