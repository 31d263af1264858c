import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { agentmap, json } from "../support/cli.js"
import { llmEnv } from "../support/llm.js"
import { scrape } from "../support/prometheus.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt"
const FILES = {
  "workflows/chat.csv": `${HEADER}\nL,Ask,claude,Done,,,question,answer,Answer briefly.\nL,Done,echo,,,,answer,final,\n`,
  // echo gives one value for two outputs: Bad fails, Handle runs, the run fails (all_nodes)
  "workflows/bad.csv": `${HEADER}\nB,Bad,echo,,Ok,Handle,x,a|b,\nB,Ok,echo,,,,,,\nB,Handle,echo,,,,error,handled,\n`,
  "workflows/wait.csv": `${HEADER}\nW,Hold,suspend,After,,,,answer,hold on\nW,After,echo,,,,answer,done,\n`
}

interface Execution {
  readonly node: string
  readonly agent_type: string
  readonly success: boolean
}

describe("GET /metrics", () => {
  let fake: FakeLlm
  let server: RunningServer
  let runner: string
  let admin: string
  let dir: string
  const results: Array<Record<string, unknown>> = []
  beforeAll(async () => {
    fake = await startFakeLlm()
    dir = workspace(FILES)
    runner = createKey(dir, "runner", "read,execute")
    admin = createKey(dir, "admin", "admin")
    server = await startServer(dir, [], llmEnv(fake))
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.close()
  })

  const post = async (path: string, body: unknown) => {
    const r = await call(`${server.url}${path}`, { method: "POST", key: runner, body: JSON.stringify(body) })
    if (r.status === 200) results.push(r.body)
    return r
  }

  it("counts what ran: runs by status, node executions, model calls, tokens, retries, resumes, 409s, requests", async () => {
    // one retry (503 with Retry-After: 0), then the answer
    fake.script("anthropic", { status: 503, retryAfter: "0" }, { text: "blue sky", inputTokens: 7, outputTokens: 2 })
    expect((await post("/execute/chat", { state: { question: "Why?" } })).body["status"]).toBe("completed")
    expect((await post("/execute/bad", { state: { x: "text" } })).body["status"]).toBe("failed")
    const waiting = await post("/execute/wait", {})
    expect(waiting.body["status"]).toBe("suspended")
    const id = waiting.body["thread_id"] as string
    expect((await post(`/resume/${id}`, { action: "approve", data: { ok: 1 } })).body["status"]).toBe("completed")
    const again = await post(`/resume/${id}`, { action: "approve" })
    expect([again.status, again.body["error"]]).toEqual([409, "ThreadFinished"])
    // left waiting: a pending interrupt
    expect((await post("/execute/wait", {})).body["status"]).toBe("suspended")

    const r = await call(`${server.url}/metrics`, { key: admin })
    expect(r.status).toBe(200)
    expect(r.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8")
    const m = scrape(r.text)

    // runs: one per leg (a start or a resume), by graph and how it ended
    const byStatus = (graph: string, status: string) => m.sum("agentmap_runs_total", { graph, status })
    expect([byStatus("L", "completed"), byStatus("B", "failed"), byStatus("W", "suspended"), byStatus("W", "completed")]).toEqual([1, 1, 2, 1])
    expect(m.sum("agentmap_runs_total")).toBe(results.length)
    expect(m.count("agentmap_run_duration_seconds")).toBe(results.length)
    expect(m.family("agentmap_runs_total")?.type).toBe("COUNTER")
    expect(m.family("agentmap_run_duration_seconds")?.type).toBe("HISTOGRAM")

    // node executions: the histogram's _count per node is what the result documents list
    const executions = results.flatMap((res) => ((res["execution_summary"] as Record<string, unknown>)["node_executions"] as ReadonlyArray<Execution>).map((e) => ({ ...e, graph: res["graph_name"] as string })))
    expect(executions.length).toBe(6)
    for (const e of executions)
      expect({ node: e.node, runs: m.count("agentmap_node_duration_seconds", { graph: e.graph, node: e.node, agent_type: e.agent_type }) }).toEqual({
        node: e.node,
        runs: executions.filter((x) => x.graph === e.graph && x.node === e.node).length
      })
    expect(m.count("agentmap_node_duration_seconds")).toBe(executions.length)
    expect(m.sum("agentmap_node_failures_total")).toBe(executions.filter((e) => !e.success).length)
    expect(m.sum("agentmap_node_failures_total", { graph: "B", node: "Bad", agent_type: "echo" })).toBe(1)

    // suspensions, resumes, conflicts, what still waits, what runs now
    expect(m.sum("agentmap_suspensions_total", { graph: "W", node: "Hold" })).toBe(2)
    expect(m.sum("agentmap_resumes_total", { graph: "W" })).toBe(1)
    expect(m.sum("agentmap_resume_conflicts_total", { reason: "ThreadFinished" })).toBe(1)
    expect(m.sum("agentmap_pending_interrupts")).toBe(1)
    expect(m.sum("agentmap_active_runs")).toBe(0)

    // the model call: one call, one retry, its tokens, one latency observation
    const model = { provider: "anthropic", model: "claude-3-5-haiku-latest" }
    expect(fake.requests.length).toBe(2)
    expect(m.sum("agentmap_llm_calls_total", { ...model, outcome: "success" })).toBe(1)
    expect(m.sum("agentmap_llm_calls_total")).toBe(1)
    expect(m.sum("agentmap_llm_retries_total", model)).toBe(1)
    expect([m.sum("agentmap_llm_tokens_total", { ...model, type: "input" }), m.sum("agentmap_llm_tokens_total", { ...model, type: "output" })]).toEqual([7, 2])
    expect(m.count("agentmap_llm_call_duration_seconds", model)).toBe(1)
    expect(m.sum("agentmap_llm_circuit_opens_total")).toBe(0)

    // requests by route template (never the raw path: no thread id in a label) and status
    expect(m.sum("agentmap_http_requests_total", { method: "POST", route: "/execute/:workflow", status: "200" })).toBe(4)
    expect(m.sum("agentmap_http_requests_total", { method: "POST", route: "/resume/:thread_id", status: "200" })).toBe(1)
    expect(m.sum("agentmap_http_requests_total", { method: "POST", route: "/resume/:thread_id", status: "409" })).toBe(1)
    expect(r.text).not.toContain(id)

    // the process gauges every Prometheus client exposes, and the version as labels
    expect(m.sum("process_resident_memory_bytes")).toBeGreaterThan(0)
    expect(m.sum("process_start_time_seconds")).toBeGreaterThan(1_600_000_000)
    expect(m.samples("agentmap_build_info")).toEqual([{ value: "1", labels: { version: expect.any(String), node: process.version } }])

    // every histogram: buckets never decrease, +Inf is the count
    const histograms = m.families.filter((f) => f.type === "HISTOGRAM").map((f) => f.name)
    expect(histograms).toEqual(expect.arrayContaining(["agentmap_run_duration_seconds", "agentmap_node_duration_seconds", "agentmap_llm_call_duration_seconds", "agentmap_http_request_duration_seconds"]))
    for (const name of histograms)
      for (const s of m.histogram(name)) {
        expect(s.buckets.length).toBeGreaterThan(1)
        for (let i = 1; i < s.buckets.length; i++) expect(s.buckets[i]![1]).toBeGreaterThanOrEqual(s.buckets[i - 1]![1])
        expect({ name, labels: s.labels, inf: s.buckets[s.buckets.length - 1] }).toEqual({ name, labels: s.labels, inf: [Infinity, s.count] })
      }
  })

  it("needs the admin permission: 401 without a credential, 403 without admin; the refusals are counted", async () => {
    const none = await call(`${server.url}/metrics`)
    expect([none.status, none.body["error"]]).toEqual([401, "Unauthenticated"])
    const runnerOnly = await call(`${server.url}/metrics`, { key: runner })
    expect([runnerOnly.status, runnerOnly.body["error"]]).toEqual([403, "Forbidden"])
    const m = scrape((await call(`${server.url}/metrics`, { key: admin })).text)
    expect([401, 403].map((status) => m.sum("agentmap_http_requests_total", { method: "GET", route: "/metrics", status: String(status) }))).toEqual([1, 1])
  })

  it("shows in diagnose: GET /admin/diagnose and agentmap diagnose --url sum them up", async () => {
    const r = await call(`${server.url}/admin/diagnose`, { key: admin })
    expect(r.status).toBe(200)
    expect(r.body["metrics"]).toMatchObject({
      runs: { total: 5, completed: 2, failed: 1, suspended: 2 },
      resumes: 1,
      resume_conflicts: 1,
      active_runs: 0,
      pending_interrupts: 1,
      nodes: { executions: 6, failures: 1 },
      llm: { calls: 1, failed: 0, retries: 1, circuit_opens: 0, input_tokens: 7, output_tokens: 2 }
    })
    const cli = agentmap(["diagnose", "--url", server.url], { cwd: dir, env: { AGENTMAP_API_KEY: admin } })
    expect(cli.stdout).toContain("metrics\n  ✔ runs: 5 (2 completed, 1 failed, 2 suspended); 1 resumed, 1 resume conflict (409)\n")
    expect(cli.stdout).toContain("  ✔ llm: 1 call (0 failed), 1 retry, 0 circuit opens; 7 tokens in, 2 out\n")
    expect(cli.stdout).toContain("  ✔ now: 0 active runs, 1 pending interrupt\n")
    expect(cli.stdout + cli.stderr).not.toContain(admin)
    const asJson = json(agentmap(["diagnose", "--url", server.url, "--json"], { cwd: dir, env: { AGENTMAP_API_KEY: admin } }))
    expect((asJson["metrics"] as Record<string, unknown>)["pending_interrupts"]).toBe(1)
    const refused = agentmap(["diagnose", "--url", server.url], { cwd: dir, env: { AGENTMAP_API_KEY: runner } })
    expect([refused.status, refused.stderr]).toEqual([1, expect.stringContaining("answered 403")])
  })
})

describe("GET /metrics with telemetry.metrics.public: true, and a provider that keeps failing", () => {
  let fake: FakeLlm
  let server: RunningServer
  let runner: string
  beforeAll(async () => {
    fake = await startFakeLlm()
    const config = "telemetry:\n  metrics:\n    public: true\nllm:\n  max_retries: 0\n  circuit_breaker: { failure_threshold: 2, reset_seconds: 600 }\n"
    const dir = workspace({ ...FILES, "agentmap_config.yaml": config })
    runner = createKey(dir, "someone", "read,execute")
    server = await startServer(dir, [], llmEnv(fake))
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.close()
  })

  it("answers without a credential, while the other routes still need one", async () => {
    const r = await call(`${server.url}/metrics`)
    expect(r.status).toBe(200)
    expect(scrape(r.text).family("agentmap_compile_cache_hits_total")?.type).toBe("COUNTER")
    expect((await call(`${server.url}/admin/diagnose`)).status).toBe(401)
  })

  it("counts failed model calls by reason and the circuit breaker opening", async () => {
    fake.script("anthropic", { status: 503 }, { status: 503 })
    for (let i = 0; i < 3; i++) {
      const r = await call(`${server.url}/execute/chat`, { method: "POST", key: runner, body: JSON.stringify({ state: { question: "Why?" } }) })
      expect(r.body["status"]).toBe("failed")
    }
    // two calls reached the provider and failed; the third was refused by the open circuit
    expect(fake.requests.length).toBe(2)
    const m = scrape((await call(`${server.url}/metrics`)).text)
    const model = { provider: "anthropic", model: "claude-3-5-haiku-latest" }
    expect([m.sum("agentmap_llm_calls_total", { ...model, outcome: "ServerError" }), m.sum("agentmap_llm_calls_total", { ...model, outcome: "CircuitOpen" })]).toEqual([2, 1])
    expect(m.sum("agentmap_llm_circuit_opens_total", { provider: "anthropic" })).toBe(1)
    expect(m.sum("agentmap_llm_retries_total")).toBe(0)
    expect(m.sum("agentmap_llm_tokens_total")).toBe(0)
    expect(m.sum("agentmap_runs_total", { graph: "L", status: "failed" })).toBe(3)
    expect(m.sum("agentmap_node_failures_total", { graph: "L", node: "Ask", agent_type: "claude" })).toBe(3)
  })
})
