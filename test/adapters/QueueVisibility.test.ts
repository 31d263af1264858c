import * as path from "node:path"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as SqliteRunQueue from "../../src/adapters/queue/SqliteRunQueue.js"
import { agentmap, json } from "../support/cli.js"
import { scrape } from "../support/prometheus.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

describe("the queue's depth in diagnose and GET /metrics (sqlite)", () => {
  let dir: string
  let server: RunningServer | undefined
  const scope = Effect.runSync(Scope.make())
  beforeAll(async () => {
    dir = workspace({ "agentmap_config.yaml": "persistence:\n  backend: sqlite\n  sqlite_path: data/agentmap.db\nqueue:\n  max_pending: 50\n" })
    const queue = await Effect.runPromise(Scope.extend(SqliteRunQueue.make({ file: path.join(dir, "data/agentmap.db"), maxPending: 50, leaseMillis: 30_000 }), scope))
    await Effect.runPromise(Effect.all([queue.submit({ run_id: "r1", thread_id: "t1" }), queue.submit({ run_id: "r2", thread_id: "t2" })]))
  })
  afterAll(async () => {
    await server?.stop()
    await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  it("agentmap diagnose shows a queue line and a queue section: backend, pending, in flight, oldest wait", () => {
    const pretty = agentmap(["diagnose"], { cwd: dir })
    expect(pretty.stdout).toMatch(/✔ background runs: sqlite \(.*agentmap\.db\): 2 pending, 0 in flight, oldest wait \d+\.\d s \(max_pending 50\)/)
    const doc = json(agentmap(["diagnose", "--json"], { cwd: dir }))
    expect(doc["queue"]).toMatchObject({ backend: "sqlite", pending: 2, in_flight: 0, max_pending: 50, concurrency: 4 })
    expect((doc["queue"] as { oldest_wait_ms: number }).oldest_wait_ms).toBeGreaterThanOrEqual(0)
  })

  it("GET /metrics reads the queue's gauges when scraped: runs waiting and the one in flight", async () => {
    // serve consumes the queue: one slow run at a time, two more wait behind it
    const header = "graph_name,node_name,agent_type,input_fields,output_field,prompt,context,success_next,failure_next"
    const busy = workspace({
      "agentmap_config.yaml": "paths:\n  csv_repository: workflows\npersistence:\n  backend: sqlite\n  sqlite_path: data/agentmap.db\nqueue:\n  concurrency: 1\n",
      "workflows/slow.csv": [header, "Slow,Nap,sleeper,ms,slept,,,,"].join("\n"),
      "custom_agents/sleeper.ts": [
        `import { defineAgent } from "agentmap"`,
        `export default defineAgent({ run: (ctx) => new Promise((resolve) => { const t = setTimeout(() => resolve("slept"), Number(ctx.inputs["ms"])); ctx.signal.addEventListener("abort", () => { clearTimeout(t); resolve("stopped") }, { once: true }) }) })`
      ].join("\n")
    })
    const key = createKey(busy, "admin", "read,execute,admin")
    server = await startServer(busy)
    for (let i = 0; i < 3; i++) {
      const r = await call(`${server.url}/runs`, { key, method: "POST", body: JSON.stringify({ assistant_id: "slow::Slow", input: { ms: 20_000 } }) })
      expect(r.status).toBe(200)
    }
    const gauges = async () => scrape((await call(`${server!.url}/metrics`, { key })).text)
    let m = await gauges()
    for (let tries = 0; m.sum("agentmap_queue_in_flight") < 1 && tries < 200; tries++) {
      await new Promise((r) => setTimeout(r, 25))
      m = await gauges()
    }
    expect([m.sum("agentmap_queue_pending"), m.sum("agentmap_queue_in_flight")]).toEqual([2, 1])
    expect(m.family("agentmap_queue_oldest_wait_seconds")?.type).toBe("GAUGE")
  })
})
