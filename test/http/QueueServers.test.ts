import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { Client } from "@langchain/langgraph-sdk"
import pg from "pg"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { POSTGRES_URL, dropSchema, freshSchema, postgresConfig } from "../support/postgres.js"
import { BIN } from "../support/cli.js"
import { queueRowsSql } from "../support/queueProcesses.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

// Background runs of the LangGraph API on one PostgreSQL shared by two servers and a worker:
// whoever is free executes a run, and a worker killed with SIGKILL loses only its nodes in flight.

const schema = freshSchema("lgqueue")
afterAll(async () => {
  await dropSchema(schema)
  await dropSchema(`${schema}_graphile_worker`)
})

const header = "graph_name,node_name,agent_type,input_fields,output_field,prompt,context,success_next,failure_next"
const files = {
  "agentmap_config.yaml": `paths:\n  csv_repository: workflows\n${postgresConfig(schema, "  lease_seconds: 1\n")}queue:\n  concurrency: 4\n`,
  "workflows/marks.csv": [header, "Marks,First,mark,tag|ms,first,,,Second,", "Marks,Second,mark,tag|ms,second,,,Third,", "Marks,Third,mark,tag|ms,third,,,,"].join("\n"),
  // each finished node appends `tag node pid` to executions.log: the side effects, counted
  "custom_agents/mark.ts": [
    `import { appendFileSync } from "node:fs"`,
    `import { defineAgent } from "agentmap"`,
    `export default defineAgent({ run: (ctx) => new Promise((resolve) => setTimeout(() => { appendFileSync("executions.log", ctx.inputs["tag"] + " " + ctx.node.name + " " + process.pid + "\\n"); resolve(process.pid) }, Number(ctx.inputs["ms"]))) })`
  ].join("\n")
}

type Line = { readonly tag: string; readonly node: string; readonly pid: number }
const executions = (dir: string): Array<Line> =>
  fs.existsSync(path.join(dir, "executions.log"))
    ? fs
        .readFileSync(path.join(dir, "executions.log"), "utf8")
        .trim()
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => {
          const [tag, node, pid] = l.split(" ")
          return { tag: tag!, node: node!, pid: Number(pid) }
        })
    : []

const startWorker = (cwd: string): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "worker"], { cwd, env: { PATH: process.env["PATH"] ?? "", HOME: cwd, NO_COLOR: "1" } })
    let err = ""
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString()
      if (err.includes("worker consuming background runs")) resolve(child)
    })
    child.on("exit", (code) => reject(new Error(`worker exited ${code}: ${err}`)))
  })

const until = async (done: () => boolean, what: string, millis = 30_000) => {
  const end = Date.now() + millis
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe("background runs on one PostgreSQL shared by two servers and a worker", () => {
  let dir = ""
  let key = ""
  let a: RunningServer
  let b: RunningServer
  let clientA: Client
  let clientB: Client

  beforeAll(async () => {
    dir = workspace(files)
    key = createKey(dir, "queue")
    ;[a, b] = await Promise.all([startServer(dir), startServer(dir)])
    clientA = new Client({ apiUrl: a.url, apiKey: key })
    clientB = new Client({ apiUrl: b.url, apiKey: key })
  })
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
  })
  // what the queue holds when a test fails (the servers' logs: test/support/testHooks.ts)
  afterEach(async ({ task }) => {
    if (task.result?.state !== "fail") return
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    try {
      const jobs = await client.query(queueRowsSql(`${schema}_graphile_worker`))
      process.stderr.write(`queue rows (${jobs.rows.length}):\n${jobs.rows.slice(0, 30).map((r) => JSON.stringify(r)).join("\n")}\n`)
    } finally {
      await client.end()
    }
  })

  /** Creates runs through A, one thread each; returns thread and run ids. */
  const createRuns = (prefix: string, count: number, ms: number) =>
    Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const tag = `${prefix}${i}`
        const run = await clientA.runs.create(crypto.randomUUID(), "marks::Marks", { input: { tag, ms }, ifNotExists: "create" })
        return { tag, thread: run.thread_id, run: run.run_id }
      })
    )

  it("100 runs created through A: both servers execute them, each node of each run exactly once, joined through B", async () => {
    // both servers consume before the batch (a server still connecting its queue would see the other take it all)
    for (let round = 0; new Set(executions(dir).map((l) => l.pid)).size < 2 && round < 50; round++)
      for (const r of await createRuns(`w${round}-`, 4, 5)) await clientB.runs.join(r.thread, r.run)
    const runs = await createRuns("r", 100, 5)
    for (const r of runs) expect(await clientB.runs.join(r.thread, r.run)).toMatchObject({ tag: r.tag, third: expect.any(Number) })
    const lines = executions(dir).filter((l) => l.tag.startsWith("r"))
    expect(lines).toHaveLength(300)
    const counts = new Map<string, number>()
    for (const l of lines) counts.set(`${l.tag} ${l.node}`, (counts.get(`${l.tag} ${l.node}`) ?? 0) + 1)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    expect(counts.size).toBe(300)
    // a run created through A was executed by B (and A did its share)
    const pids = new Set(lines.map((l) => l.pid))
    expect(pids).toEqual(new Set([a.process.pid, b.process.pid]))
    for (const r of runs.slice(0, 5)) expect((await clientB.runs.get(r.thread, r.run)).status).toBe("success")
  }, 120_000)

  it("a worker killed with SIGKILL mid-batch: every run still finishes, no completed node runs twice", async () => {
    // A and B are busy with a long first batch only once the worker has joined
    const worker = await startWorker(dir)
    const runs = await createRuns("k", 40, 120)
    await until(() => executions(dir).some((l) => l.pid === worker.pid && l.tag.startsWith("k")), "the worker's first node")
    const killedAt = executions(dir).length
    worker.kill("SIGKILL")
    for (const r of runs) expect(await clientA.runs.join(r.thread, r.run)).toMatchObject({ tag: r.tag, third: expect.any(Number) })
    // the engine's record of completed nodes: each run First, Second, Third once, whoever ran them
    for (const r of runs) {
      const thread = await call(`${a.url}/threads/${r.thread}`, { key })
      const done = (thread.body["result"] as { execution_summary: { node_executions: Array<{ node: string }> } }).execution_summary.node_executions.map((e) => e.node)
      expect(done).toEqual(["First", "Second", "Third"])
    }
    // side effects: every node of every run happened; a repeat can only be a node the worker had in flight when it died
    const lines = executions(dir).filter((l) => l.tag.startsWith("k"))
    const byNode = new Map<string, Array<Line>>()
    for (const l of lines) byNode.set(`${l.tag} ${l.node}`, [...(byNode.get(`${l.tag} ${l.node}`) ?? []), l])
    expect(byNode.size).toBe(120)
    const repeats = [...byNode.values()].filter((ls) => ls.length > 1)
    for (const ls of repeats) expect(ls.length === 2 && ls[0]!.pid === worker.pid).toBe(true)
    expect(repeats.length).toBeLessThanOrEqual(4) // the worker's concurrency
    expect(killedAt).toBeGreaterThan(0)
    // the worker's runs in flight were continued by a server from their last checkpoint
    const continued = runs.filter((r) => new Set(lines.filter((l) => l.tag === r.tag).map((l) => l.pid)).size > 1)
    process.stdout.write(`SIGKILL: ${continued.length} runs continued by another process after the worker died, ${repeats.length} nodes in flight re-run\n`)
  }, 120_000)
})
