import * as fs from "node:fs"
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { agentmap, agentmapAsync, json } from "../support/cli.js"
import { STDIO_SERVER } from "../support/mcpServers.js"
import { dropSchema, freshSchema, POSTGRES_URL } from "../support/postgres.js"
import { workspace } from "../support/workspace.js"

type Check = { section: string; name: string; status: "ok" | "warn" | "error"; detail: string; advice?: string }
const checksOf = (doc: Record<string, unknown>) => doc["checks"] as ReadonlyArray<Check>
const errorLines = (stdout: string) => stdout.split("\n").filter((l) => l.trimStart().startsWith("✖ ") && !l.startsWith("✖"))

const ANTHROPIC_KEY = "sk-ant-secret-7f3a9c1d2e"
const PASSWORD = "hunter2-pw-9d8c7b"

describe("agentmap diagnose", () => {
  it("after agentmap init, in an empty folder: nothing is ✖ and it exits 0 (providers without a key are only ⚠)", () => {
    const dir = workspace({})
    expect(agentmap(["init"], { cwd: dir }).status).toBe(0)
    const pretty = agentmap(["diagnose"], { cwd: dir })
    expect(pretty.stdout).toContain("✔ versions: AgentMap ")
    expect(pretty.stdout).toMatch(/⚠ openai: no key/)
    expect(errorLines(pretty.stdout)).toEqual([])
    expect(pretty.status).toBe(0)
    const r = agentmap(["diagnose", "--json"], { cwd: dir })
    expect(r.status).toBe(0)
    const doc = json(r)
    expect(doc).toMatchObject({
      status: "warn",
      versions: { agentmap: expect.any(String), node: process.version, langgraph: expect.stringMatching(/^\d+\.\d+/) },
      config: { file: path.join(fs.realpathSync(dir), "agentmap_config.yaml"), via: "search" },
      persistence: { backend: "sqlite", durable: true, reachable: true },
      llm: { openai: { configured: false, key: "not set" } },
      workflows: { count: 1, invalid: [] }
    })
    expect((doc["paths"] as ReadonlyArray<{ key: string }>).map((p) => p.key)).toEqual(
      expect.arrayContaining(["paths.csv_repository", "paths.functions", "paths.custom_agents", "paths.cache", "storage.base_directory"])
    )
    for (const c of checksOf(doc).filter((c) => c.status !== "ok")) expect(c.advice).toEqual(expect.any(String))
  })

  it("a broken Postgres URL, a missing key a workflow needs and a custom agent that does not compile: three ✖ lines with advice, exit 1, no secret in the output", () => {
    const dir = workspace({
      "agentmap_config.yaml": `persistence:\n  backend: postgres\n  postgres_url: postgres://agentmap:${PASSWORD}@127.0.0.1:1/nowhere\n  connect_timeout_seconds: 2\n`,
      "workflows/ask.csv": "GraphName,Node,AgentType,Prompt,Input_Fields,Output_Field\nAsk,Answer,openai,Answer {question},question,answer\n",
      "custom_agents/broken.ts": 'import { defineAgent } from "agentmap"\nexport default defineAgent({\n  run: (ctx) => { return ctx.inputs.x +* }\n})\n'
    })
    const env = { ANTHROPIC_API_KEY: ANTHROPIC_KEY }
    const pretty = agentmap(["diagnose", "ask"], { cwd: dir, env })
    expect(pretty.status).toBe(1)
    const lines = errorLines(pretty.stdout)
    expect(lines).toEqual([
      expect.stringMatching(/✖ postgres: postgres:\/\/agentmap@127\.0\.0\.1:1\/nowhere not reachable within 2 s/),
      expect.stringMatching(/✖ openai: no key, and the workflow calls openai \(node Answer\)/),
      expect.stringMatching(/✖ custom_agents\/broken: custom_agents\/broken\.ts:3:\d+: /)
    ])
    // each ✖ line is followed by one line of advice
    const all = pretty.stdout.split("\n")
    for (const line of lines) expect(all[all.indexOf(line) + 1]).toMatch(/^\s+→ \S/)
    expect(pretty.stdout).toContain("→ set OPENAI_API_KEY")
    expect(pretty.stdout).toContain("✔ anthropic: key set (env ANTHROPIC_API_KEY)")

    const r = agentmap(["diagnose", "ask", "--json"], { cwd: dir, env })
    expect(r.status).toBe(1)
    const doc = json(r)
    expect(checksOf(doc).filter((c) => c.status === "error").map((c) => `${c.section}/${c.name}`)).toEqual(["persistence/postgres", "llm/openai", "modules/custom_agents/broken"])
    expect(doc).toMatchObject({
      status: "error",
      persistence: { backend: "postgres", reachable: false, store: "postgres://agentmap@127.0.0.1:1/nowhere" },
      llm: { openai: { configured: false, needed_by: ["Answer"] }, anthropic: { configured: true, key: "set (env ANTHROPIC_API_KEY)" } },
      modules: { custom_agents: [{ name: "broken", ok: false, error: expect.stringMatching(/^custom_agents\/broken\.ts:3:\d+: /) }] },
      workflow: { valid: true, agents: [{ type: "openai", source: "built-in", nodes: ["Answer"] }], providers: { openai: ["Answer"] }, can_suspend: false }
    })
    for (const out of [pretty.stdout, pretty.stderr, r.stdout, r.stderr]) {
      expect(out).not.toContain(PASSWORD)
      expect(out).not.toContain(ANTHROPIC_KEY)
    }
  })

  it("a workflow's agents: built-in, a custom module, or missing (→ agentmap scaffold); suspending on the memory store is ⚠", () => {
    const dir = workspace({
      "agentmap_config.yaml": "persistence:\n  backend: memory\n",
      "flow.csv": "GraphName,Node,AgentType,Prompt,Input_Fields,Output_Field,Success_Next\nF,Ask,input,Name?,,name,Greet\nF,Greet,greeter,,name,greeting,Rate\nF,Rate,weather,,name,forecast,\n",
      "custom_agents/greeter.ts": 'import { defineAgent } from "agentmap"\nexport default defineAgent({ run: (ctx) => `hi ${String(ctx.inputs["name"])}` })\n'
    })
    const r = agentmap(["diagnose", "--csv", "flow.csv", "--json"], { cwd: dir })
    expect(r.status).toBe(1)
    const doc = json(r)
    expect((doc["workflow"] as { agents: unknown }).agents).toEqual([
      { type: "input", nodes: ["Ask"], source: "built-in" },
      { type: "greeter", nodes: ["Greet"], source: "custom", file: path.join(fs.realpathSync(dir), "custom_agents", "greeter.ts") },
      { type: "weather", nodes: ["Rate"], source: "missing" }
    ])
    const missing = checksOf(doc).find((c) => c.name === "agent weather")
    expect(missing).toMatchObject({ status: "error", advice: expect.stringContaining("agentmap scaffold flow.csv") })
    expect(checksOf(doc).find((c) => c.name === "durability")).toMatchObject({ status: "warn", advice: expect.stringContaining("persistence.backend: sqlite") })
    expect(doc["workflow"]).toMatchObject({ can_suspend: true, store_durable: false })
    const pretty = agentmap(["diagnose", "flow.csv"], { cwd: dir })
    expect(pretty.stdout).toMatch(/✖ agent weather: no built-in or custom agent 'weather' \(Rate\)/)
    expect(pretty.stdout).toMatch(/⚠ durability: may suspend \(Ask, Greet, Rate\)/)
    expect(agentmap(["diagnose", "nope.csv", "--json"], { cwd: dir }).status).toBe(3)
  })

  it("a reachable PostgreSQL: server version, schema and one round trip's latency", async () => {
    const schema = freshSchema("diagnose")
    const dir = workspace({ "agentmap_config.yaml": `persistence:\n  backend: postgres\n  postgres_url: ${POSTGRES_URL}\n  postgres_schema: ${schema}\n`, "workflows/w.csv": "GraphName,Node,AgentType\nW,A,echo\n" })
    try {
      const before = json(agentmap(["diagnose", "--json"], { cwd: dir }))
      expect(before["persistence"]).toMatchObject({ backend: "postgres", reachable: true, server_version: expect.stringMatching(/^\d+/), latency_ms: expect.any(Number), schema: { present: false } })
      expect(agentmap(["run", "w", "--json"], { cwd: dir }).status).toBe(0)
      const after = agentmap(["diagnose"], { cwd: dir })
      expect(after.status).toBe(0)
      expect(after.stdout).toMatch(/✔ postgres: postgres:\/\/postgres@127\.0\.0\.1:5432\/test \(PostgreSQL \d.*\), schema agentmap_diagnose_\w+: present \(agentmap_threads, checkpoints/)
    } finally {
      await dropSchema(schema)
    }
  })

  it("--probe: one GET of each configured provider's models (status, latency; the key only in its header) and each MCP server's tools", async () => {
    const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = []
    const fake = createServer((req, res) => {
      seen.push({ url: req.url ?? "", headers: req.headers })
      const ok = req.url === "/v1/models"
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(ok ? '{"data":[]}' : '{"error":"bad key"}')
    })
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve))
    const base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`
    try {
      const dir = workspace({
        "agentmap_config.yaml": `llm:\n  openai:\n    base_url: ${base}/v1\n  anthropic:\n    base_url: ${base}/wrong\nmcp:\n  servers:\n    calc:\n      command: ${process.execPath}\n      args: ["${STDIO_SERVER}"]\n`
      })
      const env = { OPENAI_API_KEY: "sk-openai-probe-123456", ANTHROPIC_API_KEY: ANTHROPIC_KEY }
      const r = await agentmapAsync(["diagnose", "--probe", "--json"], { cwd: dir, env })
      const doc = json(r)
      expect(doc["llm"]).toMatchObject({
        openai: { configured: true, probe: { ok: true, status: 200, latency_ms: expect.any(Number) } },
        anthropic: { configured: true, probe: { ok: false, status: 401 } }
      })
      expect(seen.find((s) => s.url === "/v1/models")?.headers["authorization"]).toBe("Bearer sk-openai-probe-123456")
      expect(checksOf(doc).find((c) => c.name === "anthropic")).toMatchObject({ status: "warn", advice: expect.stringContaining("the key was refused") })
      expect(doc["mcp"]).toMatchObject({ calc: { transport: "stdio", probe: { ok: true, tools: expect.arrayContaining(["add"]) } } })
      expect(r.status).toBe(0)
      expect(r.stdout).not.toContain("sk-openai-probe-123456")
      expect(r.stdout).not.toContain(ANTHROPIC_KEY)
    } finally {
      fake.close()
    }
  })

  it("a config file with an error: ✖ naming FILE:LINE:COL, exit 1, still one JSON document", () => {
    const dir = workspace({ "agentmap_config.yaml": "persistence:\n  backend: 42\n" })
    const r = agentmap(["diagnose", "--json"], { cwd: dir })
    expect(r.status).toBe(1)
    const doc = json(r)
    expect(doc["status"]).toBe("error")
    expect(checksOf(doc)).toEqual(expect.arrayContaining([expect.objectContaining({ section: "config", status: "error", detail: expect.stringMatching(/agentmap_config\.yaml:2:\d+: error: /) })]))
  })

  it("says which config file it used and how it was found; a custom agent's host services required and provided", () => {
    const dir = workspace({
      "other.yaml": "persistence:\n  backend: memory\n",
      "host_services.ts": "export default { clock: { now: () => 1 } }\n",
      "flow.csv": "GraphName,Node,AgentType,Prompt,Input_Fields,Output_Field\nF,Look,lookup,,q,a\n",
      "custom_agents/lookup.ts": 'import { defineAgent } from "agentmap"\nexport default defineAgent({ requires: { services: ["clock", "db"] }, run: () => "x" })\n'
    })
    const flagged = json(agentmap(["diagnose", "--config", "other.yaml", "--json"], { cwd: dir }))
    expect(flagged["config"]).toMatchObject({ file: path.join(fs.realpathSync(dir), "other.yaml"), via: "--config", searched: [{ path: path.join(fs.realpathSync(dir), "other.yaml"), found: true }, { found: false }, { found: false }] })
    const fromEnv = json(agentmap(["diagnose", "--json"], { cwd: dir, env: { AGENTMAP_CONFIG_FILE: "other.yaml" } }))
    expect(fromEnv["config"]).toMatchObject({ via: "AGENTMAP_CONFIG_FILE" })
    const r = agentmap(["diagnose", "flow.csv", "--json"], { cwd: dir })
    expect(r.status).toBe(1)
    const doc = json(r)
    expect(doc["workflow"]).toMatchObject({ services: { required: ["clock", "db"], provided: ["clock"], missing: ["db"] } })
    expect(checksOf(doc).find((c) => c.name === "agent lookup")).toMatchObject({ status: "error", detail: expect.stringContaining("needs host services db"), advice: expect.stringContaining("host_services") })
  })

  it("--probe: an MCP server that does not start is ⚠, and ✖ when the diagnosed workflow uses it", async () => {
    const dir = workspace({
      "agentmap_config.yaml": "mcp:\n  servers:\n    ghost:\n      command: /nonexistent/mcp-server\n      timeout_seconds: 3\n",
      "tools.csv": "GraphName,Node,AgentType,Tool_Source,Available_Tools,Prompt,Input_Fields,Output_Field\nT,Use,tool,mcp:ghost,add,,a|b,sum\n"
    })
    const alone = json(await agentmapAsync(["diagnose", "--probe", "--json"], { cwd: dir }))
    expect(checksOf(alone).find((c) => c.section === "mcp")).toMatchObject({ name: "ghost", status: "warn", advice: expect.stringContaining("mcp.servers.ghost") })
    const r = await agentmapAsync(["diagnose", "tools.csv", "--probe", "--json"], { cwd: dir })
    expect(r.status).toBe(1)
    const doc = json(r)
    expect(doc["workflow"]).toMatchObject({ mcp_servers: { ghost: ["Use"] } })
    expect(checksOf(doc).find((c) => c.section === "mcp")).toMatchObject({ status: "error", detail: expect.stringContaining("(used by Use)") })
    expect(doc["mcp"]).toMatchObject({ ghost: { transport: "stdio", target: "/nonexistent/mcp-server", probe: { ok: false } } })
  })
})
