import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const SECRET = "sk-ant-http-secret-4b5c6d7e"
const env = { ANTHROPIC_API_KEY: SECRET }
const files = {
  "agentmap_config.yaml": "llm:\n  default_provider: anthropic\n",
  "workflows/ask.csv": "GraphName,Node,AgentType,Prompt,Input_Fields,Output_Field,Success_Next\nAsk,Name,input,Name?,,name,Answer\nAsk,Answer,llm,Hello {name},name,answer,\n"
}

let server: RunningServer
let dir: string
let admin: string
let reader: string

beforeAll(async () => {
  dir = workspace(files)
  admin = createKey(dir, "boss", "admin", env)
  reader = createKey(dir, "reader", "read", env)
  server = await startServer(dir, [], env)
}, 60_000)

afterAll(async () => {
  await server?.stop()
})

describe("GET /admin/diagnose", () => {
  it("needs an admin key, and answers the document agentmap diagnose --json prints, plus pid, uptime, memory and circuit breakers", async () => {
    expect((await call(`${server.url}/admin/diagnose`)).status).toBe(401)
    expect((await call(`${server.url}/admin/diagnose`, { key: reader })).status).toBe(403)
    const http = await call(`${server.url}/admin/diagnose`, { key: admin })
    expect(http.status).toBe(200)
    const cli = agentmap(["diagnose", "--json"], { cwd: dir, env })
    expect(cli.status).toBe(0)
    const doc = json(cli)
    expect(Object.keys(http.body)).toEqual(expect.arrayContaining(Object.keys(doc)))
    // the same checklist (details carry measured latencies, so compare what was checked and found)
    const lines = (checks: unknown) => (checks as ReadonlyArray<{ section: string; name: string; status: string; advice?: string }>).map((c) => [c.section, c.name, c.status, c.advice])
    // the server adds its metrics as the last lines
    expect(lines(http.body["checks"])).toEqual([...lines(doc["checks"]), ...["runs", "now", "nodes", "llm", "cache", "http"].map((name) => ["metrics", name, "ok", undefined])])
    expect(http.body).toMatchObject({
      status: doc["status"],
      versions: doc["versions"],
      config: doc["config"],
      llm: { anthropic: { configured: true, key: "set (env ANTHROPIC_API_KEY)" } },
      persistence: { backend: "sqlite", reachable: true },
      workflows: { count: 1, invalid: [] },
      pid: expect.any(Number),
      uptime_s: expect.any(Number),
      memory: { rss_bytes: expect.any(Number) },
      circuits: { openai: { state: "closed", failures: 0 }, anthropic: { state: "closed", failures: 0 }, google: { state: "closed", failures: 0 } },
      metrics: { runs: { total: 0 }, active_runs: 0, pending_interrupts: 0, http: { requests: expect.any(Number) } }
    })
    expect(http.text).not.toContain(SECRET)
    expect(cli.stdout).not.toContain(SECRET)
  })

  it("?workflow= adds the workflow part, as diagnose WORKFLOW does; an unknown workflow is 404", async () => {
    const http = await call(`${server.url}/admin/diagnose?workflow=ask`, { key: admin })
    expect(http.status).toBe(200)
    const cli = json(agentmap(["diagnose", "ask", "--json"], { cwd: dir, env }))
    expect(http.body["workflow"]).toEqual(cli["workflow"])
    expect(http.body["workflow"]).toMatchObject({ providers: { anthropic: ["Answer"] }, can_suspend: true, store_durable: true })
    expect((await call(`${server.url}/admin/diagnose?workflow=nope`, { key: admin })).status).toBe(404)
  })

  it("reports the compile cache's hits and compiles since the server started: a function the CLI compiled is served from the cache", async () => {
    const project = workspace({
      "workflows/route.csv": "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge\nR,Pick,echo,x,y,func:pick\nR,A,echo,y,a,\nR,B,echo,y,b,\n",
      "functions/pick.ts": "export function pick(state: Record<string, unknown>): string {\n  return state['x'] === 'a' ? 'A' : 'B'\n}\n"
    })
    const key = createKey(project, "boss", "admin")
    // the CLI compiles the function into the cache; the server then loads it from there
    expect(agentmap(["run", "route", "--state", '{"x": "a"}', "--json"], { cwd: project }).status).toBe(0)
    const fresh = await startServer(project)
    try {
      // diagnose imports the function as a run would: from the cache, compiling nothing
      const before = await call(`${fresh.url}/admin/diagnose`, { key })
      expect(before.body["cache"]).toMatchObject({ entries: 1, misses: 0, hit_rate: 1, max_bytes: expect.any(Number) })
      expect((before.body["cache"] as { hits: number }).hits).toBeGreaterThanOrEqual(1)
      expect((await call(`${fresh.url}/execute/route`, { method: "POST", body: '{"state": {"x": "b"}}', key })).body["outputs"]).toMatchObject({ b: "b" })
    } finally {
      await fresh.stop()
    }
  })
})
