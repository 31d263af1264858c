import * as fs from "node:fs"
import * as http from "node:http"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { chainFiles, whenHeld } from "../support/chain.js"
import { agentmap } from "../support/cli.js"
import { dropSchema, freshSchema, postgresConfig } from "../support/postgres.js"
import { call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const slowFlow = {
  // leaves a mark in the server's folder once a run is inside it (the request is in flight)
  "functions/pause.mjs":
    'import { writeFileSync } from "node:fs"\nexport const pause = async () => { writeFileSync("in-flight", ""); await new Promise((r) => setTimeout(r, 1000)); return null }\n',
  "workflows/slow.csv": "GraphName,Node,AgentType,Output_Field,Edge\nS,Work,default,done,func:pause\n",
  "workflows/wait.csv": "GraphName,Node,AgentType,Output_Field,Edge\nW,Hold,suspend,answer,After\nW,After,default,done,\n"
}

describe("serve: operations", () => {
  it("drains on SIGTERM: a request in flight completes, then the process exits 0", async () => {
    const dir = workspace(slowFlow)
    const key = createKey(dir, "k")
    const server = await startServer(dir)
    const inflight = call(`${server.url}/execute/slow`, { method: "POST", body: "{}", key })
    // stop only once the run is inside the server, however slow the machine
    for (let i = 0; i < 300 && !fs.existsSync(path.join(dir, "in-flight")); i++) await new Promise((r) => setTimeout(r, 50))
    expect(fs.existsSync(path.join(dir, "in-flight"))).toBe(true)
    const exit = server.stop()
    const reply = await inflight
    expect([reply.status, reply.body["status"]]).toEqual([200, "completed"])
    expect(await exit).toBe(0)
    await expect(fetch(`${server.url}/health`)).rejects.toThrow()
  })

  it("warns loudly when authentication is off on a non-loopback address", async () => {
    const dir = workspace({ ...slowFlow, "agentmap_config.yaml": "auth:\n  enabled: false\n" })
    const server = await startServer(dir, ["--host", "0.0.0.0"])
    expect(server.stderr()).toContain("WARNING: authentication is OFF")
    const open = await call(`${server.url.replace("0.0.0.0", "127.0.0.1")}/execute/wait`, { method: "POST", body: "{}" })
    expect(open.body["status"]).toBe("suspended")
    await server.stop()
  })

  it("runs --workers 2 processes on one port", async () => {
    const dir = workspace(slowFlow)
    const key = createKey(dir, "admin", "admin")
    const server = await startServer(dir, ["--workers", "2"])
    const pids = new Set<unknown>()
    for (let i = 0; i < 40 && pids.size < 2; i++) {
      // a new connection each time (no agent), so the cluster can hand it to either process
      const body = await new Promise<string>((resolve, reject) =>
        http
          .get(`${server.url}/admin/diagnose`, { headers: { "x-api-key": key }, agent: false }, (res) => {
            let text = ""
            res.on("data", (d: Buffer) => (text += d.toString()))
            res.on("end", () => resolve(text))
          })
          .on("error", reject)
      )
      pids.add((JSON.parse(body) as { pid: unknown }).pid)
    }
    expect(pids.size).toBe(2)
    expect(await server.stop()).toBe(0)
  })
})

describe("serve: a client retrying /execute with its own thread_id", () => {
  it("gets its run once the server that had it died: 409 while that server lives, then, the run's lease run out, 200 with the result and no node run twice", async () => {
    const { "chain.csv": chain, ...rest } = chainFiles(4, "persistence:\n  lease_seconds: 3\n")
    const dir = workspace({ ...rest, "workflows/chain.csv": chain! })
    const key = createKey(dir, "client")
    const [a, b] = await Promise.all([startServer(dir), startServer(dir)])
    try {
      const body = JSON.stringify({ state: { hold_at: "N1" }, thread_id: "order-42" })
      const execute = (server: typeof a) => call(`${server.url}/execute/chain`, { method: "POST", body, key })
      const first = execute(a)
      first.catch(() => undefined)
      await whenHeld(dir, () => a.process.exitCode !== null || a.process.signalCode !== null)
      const busy = await execute(b)
      expect([busy.status, busy.body["error"]]).toEqual([409, "ThreadBusy"])
      a.process.kill("SIGKILL")
      await expect(first).rejects.toThrow() // the server died in the middle of the run
      const killedAt = Date.now()
      await new Promise((r) => setTimeout(r, killedAt + 3100 - Date.now()))
      const retried = await execute(b)
      expect([retried.status, retried.body["status"], retried.body["thread_id"]]).toEqual([200, "completed", "order-42"])
      expect(fs.readFileSync(path.join(dir, "log.txt"), "utf8").trim().split("\n")).toEqual(["N0", "N1", "N2", "N3"])
      expect((await call(`${b.url}/threads/order-42`, { key })).body["status"]).toBe("completed")
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })
})

const schema = freshSchema("scaleout")
afterAll(() => dropSchema(schema))

describe("serve: scale-out on PostgreSQL", () => {
  it("shares threads and keys between servers: suspend on one, resume on the other, one 200 and one 409 for a double resume", async () => {
    const dir = workspace({ ...slowFlow, "agentmap_config.yaml": postgresConfig(schema) })
    const key = createKey(dir, "shared")
    const [a, b] = await Promise.all([startServer(dir), startServer(dir)])
    try {
      const started = await call(`${a.url}/execute/wait`, { method: "POST", body: "{}", key })
      expect(started.body["status"]).toBe("suspended")
      const id = started.body["thread_id"] as string
      expect((await call(`${b.url}/threads/${id}`, { key })).body["status"]).toBe("suspended")
      const [x, y] = await Promise.all([
        call(`${a.url}/resume/${id}`, { method: "POST", body: JSON.stringify({ action: "approve" }), key }),
        call(`${b.url}/resume/${id}`, { method: "POST", body: JSON.stringify({ action: "approve" }), key })
      ])
      expect([x.status, y.status].sort()).toEqual([200, 409])
      const second = await call(`${b.url}/execute/wait`, { method: "POST", body: "{}", key })
      const resumed = await call(`${a.url}/resume/${second.body["thread_id"] as string}`, { method: "POST", body: "{}", key })
      expect([resumed.status, resumed.body["status"]]).toEqual([200, "completed"])
      expect(agentmap(["auth", "revoke-key", "shared"], { cwd: dir }).status).toBe(0)
      expect((await call(`${a.url}/execute/wait`, { method: "POST", body: "{}", key })).status).toBe(401)
      expect((await call(`${b.url}/execute/wait`, { method: "POST", body: "{}", key })).status).toBe(401)
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })
})
