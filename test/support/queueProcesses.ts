import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import Database from "better-sqlite3"
import { Effect, Exit, Scope } from "effect"
import pg from "pg"
import * as PostgresRunQueue from "../../src/adapters/queue/PostgresRunQueue.js"
import * as SqliteRunQueue from "../../src/adapters/queue/SqliteRunQueue.js"
import type { RunQueue } from "../../src/ports/RunQueue.js"
import { WORKER_LOCK_SPACE } from "../../src/adapters/queue/PostgresQueueSql.js"
import { POSTGRES_URL, dropSchema, freshSchema } from "./postgres.js"

const ROOT = path.resolve(import.meta.dirname, "../..")

export interface DoneRow {
  readonly run_id: string
  readonly attempt: number
  readonly pid: number
  readonly picked_at: number
}

/** One shared queue store (a PostgreSQL schema or a SQLite file), its consumers as child processes, and what they recorded. */
export interface QueueWorld {
  readonly backend: "postgres" | "sqlite"
  /** A queue instance in this process (to submit; it consumes nothing). */
  readonly queue: RunQueue["Type"]
  /** Starts `node --import tsx test/support/queueConsumer.ts …` and resolves once it consumes. */
  readonly consumer: (concurrency: number, workMillis: number) => Promise<ChildProcess>
  readonly done: () => Promise<ReadonlyArray<DoneRow>>
  readonly dups: () => Promise<ReadonlyArray<{ run_id: string; attempt: number; pid: number }>>
  readonly close: () => Promise<void>
  /** The queue's rows and every consumer's stderr: printed when a wait times out. */
  readonly describe: () => Promise<string>
}

const TABLES = (prefix: string) => [
  `CREATE TABLE ${prefix}done (run_id TEXT PRIMARY KEY, attempt INTEGER NOT NULL, pid INTEGER NOT NULL, picked_at BIGINT NOT NULL)`,
  `CREATE TABLE ${prefix}dup (run_id TEXT NOT NULL, attempt INTEGER NOT NULL, pid INTEGER NOT NULL)`
]

/** graphile-worker's job rows in `schema`, with whether each holder's advisory lock is held: what a failing queue test prints. */
export const queueRowsSql = (schema: string) =>
  `SELECT key, locked_by, locked_at, attempts, run_at, is_available, last_error, now() AS now,
          (SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ${WORKER_LOCK_SPACE}::int::oid AND l.objid = hashtext(j.locked_by)::oid) AS lock_held
     FROM ${schema}._private_jobs j`

export const openWorld = async (backend: "postgres" | "sqlite", leaseMillis = 1000): Promise<QueueWorld> => {
  const children: Array<ChildProcess> = []
  const stderr = new Map<number, string>()
  const scope = Effect.runSync(Scope.make())
  let target: string
  let read: (sql: string) => Promise<Array<Record<string, unknown>>>
  let cleanup: () => Promise<void>
  let rows: () => Promise<Array<Record<string, unknown>>>
  let queue: RunQueue["Type"]
  if (backend === "postgres") {
    target = freshSchema("takeover")
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 })
    await pool.query(`CREATE SCHEMA ${target}`)
    for (const sql of TABLES(`${target}.`)) await pool.query(sql)
    read = async (sql) => (await pool.query(sql.replaceAll("{t}", `${target}.`))).rows
    rows = async () =>
      (
        await pool.query(queueRowsSql(`${target}_graphile_worker`))
      ).rows
    queue = await Effect.runPromise(Scope.extend(PostgresRunQueue.make({ url: POSTGRES_URL, schema: `${target}_graphile_worker`, maxPending: 1_000_000 }), scope))
    cleanup = async () => {
      await pool.end()
      await dropSchema(target)
      await dropSchema(`${target}_graphile_worker`)
    }
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-queue-takeover-"))
    target = path.join(dir, "agentmap.db")
    const db = new Database(target)
    db.pragma("journal_mode = WAL")
    for (const sql of TABLES("")) db.exec(sql)
    read = async (sql) => db.prepare(sql.replaceAll("{t}", "")).all() as Array<Record<string, unknown>>
    rows = async () => db.prepare("SELECT * FROM agentmap_run_queue").all() as Array<Record<string, unknown>>
    queue = await Effect.runPromise(Scope.extend(SqliteRunQueue.make({ file: target, maxPending: 1_000_000, leaseMillis }), scope))
    cleanup = async () => {
      db.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  const consumer = (concurrency: number, workMillis: number) =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "test/support/queueConsumer.ts", backend, target, String(concurrency), String(workMillis), String(leaseMillis)], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"]
      })
      children.push(child)
      let err = ""
      child.stderr?.on("data", (d) => {
        err += String(d)
        stderr.set(child.pid ?? 0, err.slice(-20_000))
      })
      child.stdout?.on("data", (d) => {
        if (String(d).includes("ready")) resolve(child)
      })
      child.on("exit", (code) => reject(new Error(`consumer exited (${code}) before it was ready: ${err}`)))
    })
  return {
    backend,
    queue,
    consumer,
    done: async () =>
      (await read("SELECT run_id, attempt, pid, picked_at FROM {t}done")).map((r) => ({
        run_id: String(r["run_id"]),
        attempt: Number(r["attempt"]),
        pid: Number(r["pid"]),
        picked_at: Number(r["picked_at"])
      })),
    describe: async () => {
      const queued = await rows().catch((e: unknown) => [{ error: String(e) }])
      const logs = [...stderr].map(([pid, text]) => `consumer ${pid} stderr:\n${text}`).join("\n")
      return `queue rows (${queued.length}):\n${queued.slice(0, 30).map((r) => JSON.stringify(r)).join("\n")}\n${logs}`
    },
    dups: async () => (await read("SELECT run_id, attempt, pid FROM {t}dup")).map((r) => ({ run_id: String(r["run_id"]), attempt: Number(r["attempt"]), pid: Number(r["pid"]) })),
    close: async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await cleanup()
    }
  }
}

export const waitFor = async (check: () => Promise<boolean>, what: string, millis = 60_000, world?: QueueWorld) => {
  const end = Date.now() + millis
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${world === undefined ? "" : `\n${await world.describe()}`}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** Pickup latency of an idle consumer: one job at a time, submit to the handler's start (ms). */
export const pickupLatencies = async (world: QueueWorld, jobs: number, label: string) => {
  const latencies: Array<number> = []
  for (let i = 0; i < jobs; i++) {
    const runId = `${label}-${i}`
    const submitted = Date.now()
    await Effect.runPromise(world.queue.submit({ run_id: runId, thread_id: runId }))
    let row: DoneRow | undefined
    await waitFor(async () => {
      row = (await world.done()).find((r) => r.run_id === runId)
      return row !== undefined
    }, `job ${runId}`, 60_000, world)
    latencies.push(row!.picked_at - submitted)
    await new Promise((r) => setTimeout(r, 20))
  }
  return latencies
}
