import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Metric } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { createAgentMap, createWebHandler, scriptedModels } from "../../src/main/index.js"
import { agentmap } from "../support/cli.js"
import { type RunningExample, startExample } from "../support/examples.js"
import { scrape } from "../support/prometheus.js"
import { call } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const running: Array<RunningExample> = []
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()))
})

describe("embedding in a host Effect application (examples/embedded-effect)", () => {
  it("serves AgentMap under the host's prefix next to the host's own routes, sharing its services", async () => {
    const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-embed-")), "keys.db")
    const env = { AGENTMAP_EXAMPLE_DB: db }
    const created = agentmap(["auth", "generate-key", "--name", "host", "--json"], {
      cwd: path.resolve("examples/embedded-effect"),
      env: { ...env, AGENTMAP_CONFIG_FILE: path.resolve("examples/embedded-effect/agentmap_config.yaml") }
    })
    const key = (JSON.parse(created.stdout) as { key: string }).key
    const host = await startExample("embedded-effect", env)
    running.push(host)
    expect((await call(`${host.url}/`)).text).toBe("host application")
    expect((await call(`${host.url}/host/status`)).body).toEqual({ host: "ok" })
    expect((await call(`${host.url}/host/greet?name=Ada`)).body).toEqual({ greeting: "Hello Ada, welcome to AgentMap!" })
    expect((await call(`${host.url}/agentmap/health`)).body["status"]).toBe("ok")
    expect((await call(`${host.url}/agentmap/execute/hello_world`, { method: "POST", body: "{}" })).status).toBe(401)
    const run = await call(`${host.url}/agentmap/execute/hello_world`, { method: "POST", body: JSON.stringify({ state: { name: "Bo" } }), key })
    expect([run.status, (run.body["outputs"] as Record<string, unknown>)["greeting"]]).toEqual([200, "Hello Bo, welcome to AgentMap!"])
    // the document's paths resolve against its server, which is relative to where it is served: under the prefix
    const openapi = await call(`${host.url}/agentmap/openapi.json`)
    const [server] = openapi.body["servers"] as Array<{ url: string }>
    const base = new URL(server!.url, `${host.url}/agentmap/openapi.json`).href
    expect(base).toBe(`${host.url}/agentmap/`)
    expect(Object.keys(openapi.body["paths"] as object)).toContain("/execute/{workflow}")
    const documented = await call(new URL("execute/hello_world", base).href, { method: "POST", body: JSON.stringify({ state: { name: "Ed" } }), key })
    expect([documented.status, (documented.body["outputs"] as Record<string, unknown>)["greeting"]]).toEqual([200, "Hello Ed, welcome to AgentMap!"])
    expect((await call(`${host.url}/agentmap/no-such-route`)).body["error"]).toBe("NotFound")
  })
})

describe("embedding in a plain Node host (examples/embedded-node)", () => {
  it("forwards the prefix to AgentMap's Node handler behind the host's own auth, and uses the Promise facade", async () => {
    const host = await startExample("embedded-node")
    running.push(host)
    expect((await call(`${host.url}/`)).text).toBe("host application")
    expect((await call(`${host.url}/host/greet?name=Cy`)).body).toEqual({ greeting: "Hello Cy, welcome to AgentMap!" })
    expect((await call(`${host.url}/agentmap/execute/hello_world`, { method: "POST", body: "{}" })).status).toBe(401)
    const run = await call(`${host.url}/agentmap/execute/hello_world`, { method: "POST", body: JSON.stringify({ state: { name: "Di" } }), headers: { "x-host-token": "let-me-in" } })
    expect([run.status, (run.body["outputs"] as Record<string, unknown>)["greeting"]]).toEqual([200, "Hello Di, welcome to AgentMap!"])
    const listed = await call(`${host.url}/agentmap/workflows`, { headers: { "x-host-token": "let-me-in" } })
    expect((listed.body["workflows"] as Array<{ name: string }>).map((w) => w.name)).toContain("hello_world")
  })
})

describe("library entry points", () => {
  const dir = workspace({
    "agentmap_config.yaml": "persistence:\n  backend: memory\nauth:\n  enabled: false\n",
    "workflows/greet.csv": "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt\nG,Ask,input,,name,Say,Name?\nG,Say,echo,name,greeting,,Hi {name}\n",
    "workflows/bad.csv": "GraphName,Node,AgentType,Edge\nB,A,echo,Nope\n"
  })

  it("createWebHandler answers web-standard Requests under a prefix", async () => {
    const { handler, dispose } = createWebHandler({ cwd: dir, prefix: "/am" })
    try {
      const response = await handler(new Request("http://host/am/execute/greet", { method: "POST", body: JSON.stringify({ state: { name: "Ed" } }) }))
      expect(response.status).toBe(200)
      expect(((await response.json()) as { outputs: Record<string, unknown> }).outputs["greeting"]).toBe("Hi Ed")
      expect((await handler(new Request("http://host/am/health"))).status).toBe(200)
      // metrics under the prefix too, the routes named by their templates under it
      const metrics = await handler(new Request("http://host/am/metrics"))
      expect([metrics.status, metrics.headers.get("content-type")]).toEqual([200, "text/plain; version=0.0.4; charset=utf-8"])
      expect(scrape(await metrics.text()).sum("agentmap_http_requests_total", { method: "POST", route: "/am/execute/:workflow", status: "200" })).toBeGreaterThanOrEqual(1)
    } finally {
      await dispose()
    }
  })

  it("createWebHandler executes the background runs its routes queue (LangGraph runs.create + join)", async () => {
    const { handler, dispose } = createWebHandler({ cwd: dir, prefix: "/am" })
    try {
      const post = (url: string, body: unknown) => handler(new Request(`http://host/am${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }))
      const created = (await (await post("/runs", { assistant_id: "greet::G", input: { name: "Bg" } })).json()) as { run_id: string; thread_id: string }
      const joined = await handler(new Request(`http://host/am/threads/${created.thread_id}/runs/${created.run_id}/join`))
      expect([joined.status, ((await joined.json()) as Record<string, unknown>)["greeting"]]).toEqual([200, "Hi Bg"])
    } finally {
      await dispose()
    }
  })

  it("createWebHandler holds a streamed body without a length to http.max_body_bytes (413), and reads one within it", async () => {
    const limited = workspace({
      "agentmap_config.yaml": "persistence:\n  backend: memory\nauth:\n  enabled: false\nhttp:\n  max_body_bytes: 2048\n",
      "workflows/greet.csv": "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge\nG,Say,echo,name,greeting,\n"
    })
    const { handler, dispose } = createWebHandler({ cwd: limited, prefix: "/am" })
    // a ReadableStream body has no Content-Length: the limit has to hold while reading
    const streamed = (text: string) =>
      new Request("http://host/am/execute/greet", {
        method: "POST",
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < text.length; i += 500) controller.enqueue(new TextEncoder().encode(text.slice(i, i + 500)))
            controller.close()
          }
        }),
        duplex: "half"
      } as RequestInit)
    try {
      const large = await handler(streamed(JSON.stringify({ state: { name: "x".repeat(5000) } })))
      expect([large.status, ((await large.json()) as { error: string }).error]).toEqual([413, "PayloadTooLarge"])
      const small = await handler(streamed(JSON.stringify({ state: { name: "Flo" } })))
      expect([small.status, ((await small.json()) as { outputs: Record<string, unknown> }).outputs["greeting"]]).toEqual([200, "Flo"])
    } finally {
      await dispose()
    }
  })

  it("createAgentMap runs, resumes, validates and lists with one runtime built once", async () => {
    const am = createAgentMap({ cwd: dir })
    try {
      const [a, b] = await Promise.all([am.run("greet"), am.run("greet", { state: { name: "Flo" } })])
      expect([a.status, b.outputs["greeting"]]).toEqual(["suspended", "Hi Flo"])
      const resumed = await am.resume(a.thread_id, "submit", { text: "Gus" })
      expect(resumed.outputs["greeting"]).toBe("Hi Gus")
      expect((await am.validate("bad")).valid).toBe(false)
      expect((await am.listWorkflows()).map((w) => w.name).sort()).toEqual(["bad", "greet"])
      await expect(am.run("missing")).rejects.toMatchObject({ name: "AgentMapError", tag: "WorkflowNotFound" })
      await expect(am.run("bad")).rejects.toMatchObject({ tag: "InvalidWorkflow", diagnostics: [expect.objectContaining({ code: "unknown-target" })] })
    } finally {
      await am.close()
    }
    await expect(am.run("greet")).rejects.toMatchObject({ tag: "Closed" })
  })

  it("createAgentMap takes the host's own chat models (a scripted fake in the host's tests)", async () => {
    const models = scriptedModels((r) => `echo from ${r.provider}: ${r.messages.at(-1)?.content}`)
    const llmDir = workspace({ "workflows/ask.csv": "GraphName,Node,AgentType,Input_Fields,Output_Field\nA,Ask,claude,question,answer\n" })
    const am = createAgentMap({ cwd: llmDir, models: models.layer })
    // the host's models are counted like the providers' (this process's registry, shared by the
    // test files of a worker: compare before and after)
    const successes = () =>
      Effect.runSync(Metric.snapshot)
        .filter((p) => p.metricKey.name === "agentmap_llm_calls")
        .filter((p) => ["provider:anthropic", "outcome:success"].every((kv) => p.metricKey.tags.some((t) => `${t.key}:${t.value}` === kv)))
        .reduce((n, p) => n + (p.metricState as unknown as { count: number }).count, 0)
    try {
      const before = successes()
      const result = await am.run("ask", { state: { question: "ping" } })
      expect(result.outputs["answer"]).toBe("echo from anthropic: ping")
      expect(models.calls).toHaveLength(1)
      expect(successes() - before).toBe(1)
    } finally {
      await am.close()
    }
  })
})
