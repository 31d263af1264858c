/**
 * A queue consumer process for the takeover tests and the queue bench:
 *   node --import tsx test/support/queueConsumer.ts <postgres|sqlite> <schema|file> <concurrency> <work ms> [lease ms]
 * Its handler "runs" a job like a checkpointed run: it works `work ms`, then records the run as
 * finished in `done` (once: a run found finished already, as after a takeover, is recorded in
 * `dup` instead). Every row says which process, which attempt and when the job was picked up.
 * Prints `ready` once consuming.
 */
import { createRequire } from "node:module"
import { Effect } from "effect"
import pg from "pg"
import * as PostgresRunQueue from "../../src/adapters/queue/PostgresRunQueue.js"
import * as SqliteRunQueue from "../../src/adapters/queue/SqliteRunQueue.js"
import type { RunJob } from "../../src/ports/RunQueue.js"
import { POSTGRES_URL } from "./postgres.js"

const [backend, target = "", concurrencyText = "4", workText = "0", leaseText = "1000"] = process.argv.slice(2)
const concurrency = Number(concurrencyText)
const work = Number(workText)

type Record = (job: RunJob, pickedAt: number) => Promise<void>

const recorder = (): Record => {
  if (backend === "postgres") {
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: concurrency + 1 })
    return async (job, pickedAt) => {
      const inserted = await pool.query(`INSERT INTO ${target}.done (run_id, attempt, pid, picked_at) VALUES ($1, $2, $3, $4) ON CONFLICT (run_id) DO NOTHING`, [job.run_id, job.attempt, process.pid, pickedAt])
      if (inserted.rowCount === 0) await pool.query(`INSERT INTO ${target}.dup (run_id, attempt, pid) VALUES ($1, $2, $3)`, [job.run_id, job.attempt, process.pid])
    }
  }
  const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3")
  const db = new Database(target, { timeout: 5000 })
  const insert = db.prepare("INSERT INTO done (run_id, attempt, pid, picked_at) VALUES (?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING")
  const dup = db.prepare("INSERT INTO dup (run_id, attempt, pid) VALUES (?, ?, ?)")
  return async (job, pickedAt) => {
    if (insert.run(job.run_id, job.attempt, process.pid, pickedAt).changes === 0) dup.run(job.run_id, job.attempt, process.pid)
  }
}

const record = recorder()
const queue =
  backend === "postgres"
    ? PostgresRunQueue.make({ url: POSTGRES_URL, schema: target.endsWith("_graphile_worker") ? target : `${target}_graphile_worker`, maxPending: 1_000_000 })
    : SqliteRunQueue.make({ file: target, maxPending: 1_000_000, leaseMillis: Number(leaseText) })

const handler = (job: RunJob) =>
  Effect.gen(function* () {
    const pickedAt = Date.now()
    if (work > 0) yield* Effect.sleep(work)
    yield* Effect.promise(() => record(job, pickedAt))
  })

Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const q = yield* queue
      yield* q.consume(handler, concurrency)
      process.stdout.write("ready\n")
      yield* Effect.never
    })
  )
).catch((e) => {
  process.stderr.write(`consumer failed: ${String(e)}\n`)
  process.exit(1)
})
