import { Effect, Exit, Scope } from "effect"
import pg from "pg"
import { afterAll, describe, expect, it } from "vitest"
import * as PostgresRunQueue from "../../src/adapters/queue/PostgresRunQueue.js"
import { WORKER_LOCK_SPACE } from "../../src/adapters/queue/PostgresQueueSql.js"
import type { RunJob } from "../../src/ports/RunQueue.js"
import { POSTGRES_URL, dropSchema, freshSchema } from "../support/postgres.js"
import { queueContract } from "../support/queueContract.js"

const schemas: Array<string> = []
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema)
})
const fresh = () => {
  const schema = freshSchema("queue")
  schemas.push(schema)
  return schema
}

const waitUntil = async (check: () => boolean, what: string, millis = 15_000) => {
  const end = Date.now() + millis
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe("the PostgreSQL run queue (graphile-worker)", () => {
  queueContract(() => {
    const schema = fresh()
    return (maxPending) => PostgresRunQueue.make({ url: POSTGRES_URL, schema, maxPending })
  })

  it("consumers starting together on a fresh database all migrate it and all consume (no migration race)", async () => {
    const schema = fresh()
    const scope = Effect.runSync(Scope.make())
    try {
      const queues = await Promise.all([1, 2, 3].map(() => Effect.runPromise(Scope.extend(PostgresRunQueue.make({ url: POSTGRES_URL, schema, maxPending: 100 }), scope))))
      // each one reaches the queue (graphile-worker's migrations ran once, the others waited their turn)
      const stats = await Promise.all(queues.map((q) => Effect.runPromise(q.stats)))
      expect(stats.map((s) => s.pending)).toEqual([0, 0, 0])
      const seen: Array<string> = []
      await Promise.all(queues.map((q, i) => Effect.runPromise(Scope.extend(q.consume((job) => Effect.sync(() => void seen.push(`${i}:${job.run_id}`)), 1), scope))))
      await Effect.runPromise(queues[0]!.submit({ run_id: "after-race", thread_id: "t" }))
      await waitUntil(() => seen.length === 1, "one consumer to run the job")
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })

  it("a consumer that loses its lock connection stops running its jobs: another consumer takes them over (attempt 2)", async () => {
    const schema = fresh()
    const scope = Effect.runSync(Scope.make())
    const admin = new pg.Client({ connectionString: POSTGRES_URL })
    await admin.connect()
    try {
      const open = () => Effect.runPromise(Scope.extend(PostgresRunQueue.make({ url: POSTGRES_URL, schema, maxPending: 100 }), scope))
      const a = await open()
      const seenByA: Array<RunJob> = []
      let interrupted = 0
      await Effect.runPromise(
        Scope.extend(a.consume((job) => Effect.sync(() => void seenByA.push(job)).pipe(Effect.zipRight(Effect.never), Effect.onInterrupt(() => Effect.sync(() => interrupted++))), 1), scope)
      )
      await Effect.runPromise(a.submit({ run_id: "lost-lock", thread_id: "t" }))
      await waitUntil(() => seenByA.length === 1, "A to start the job")
      // the backend holding the advisory lock of the worker that holds the job: A's lock connection
      const killed = await admin.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN ${schema}._private_jobs j ON l.objid = hashtext(j.locked_by)::oid
          WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ${WORKER_LOCK_SPACE}::int::oid AND l.objsubid = 2`
      )
      expect(killed.rowCount).toBe(1)
      await waitUntil(() => interrupted === 1, "A's handler to be interrupted")
      const b = await open()
      const seenByB: Array<RunJob> = []
      await Effect.runPromise(Scope.extend(b.consume((job) => Effect.sync(() => void seenByB.push(job)), 1), scope))
      await waitUntil(() => seenByB.length === 1, "B to run the job")
      expect(seenByB[0]).toMatchObject({ run_id: "lost-lock", attempt: 2 })
      expect(seenByA).toHaveLength(1)
    } finally {
      await admin.end()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }, 30_000)

  it("keeps consuming when another schema of the database is installed (graphile announces its breaking migrations database-wide)", async () => {
    const schema = fresh()
    const scope = Effect.runSync(Scope.make())
    const exitCode = process.exitCode
    try {
      const queue = await Effect.runPromise(Scope.extend(PostgresRunQueue.make({ url: POSTGRES_URL, schema, maxPending: 100 }), scope))
      const seen: Array<string> = []
      await Effect.runPromise(Scope.extend(queue.consume((job) => Effect.sync(() => void seen.push(job.run_id)), 2), scope))
      await Effect.runPromise(queue.submit({ run_id: "before", thread_id: "t" }))
      await waitUntil(() => seen.includes("before"), "the job before the other install")
      // another deployment (or test) beside ours: its fresh schema's migrations NOTIFY worker:migrate
      const other = await Effect.runPromise(Scope.extend(PostgresRunQueue.make({ url: POSTGRES_URL, schema: fresh(), maxPending: 100 }), scope))
      await Effect.runPromise(other.stats)
      for (let i = 0; i < 5; i++) await Effect.runPromise(queue.submit({ run_id: `after-${i}`, thread_id: "t" }))
      await waitUntil(() => seen.filter((id) => id.startsWith("after-")).length === 5, "the jobs after the other install")
      expect(seen.filter((id) => id.startsWith("after-")).sort()).toEqual(["after-0", "after-1", "after-2", "after-3", "after-4"])
      // graphile-worker set 57 on the way down; a consumer that restarted leaves the exit code alone
      expect(process.exitCode).toBe(exitCode)
    } finally {
      process.exitCode = exitCode
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }, 30_000)

  it("a handler that dies (the run's record could not be read) is tried again after graphile's back-off, attempt 2", async () => {
    const schema = fresh()
    const scope = Effect.runSync(Scope.make())
    try {
      const queue = await Effect.runPromise(Scope.extend(PostgresRunQueue.make({ url: POSTGRES_URL, schema, maxPending: 100 }), scope))
      const attempts: Array<number> = []
      const handler = (job: RunJob) => Effect.sync(() => void attempts.push(job.attempt)).pipe(Effect.zipRight(job.attempt === 1 ? Effect.dieMessage("store unavailable") : Effect.void))
      await Effect.runPromise(Scope.extend(queue.consume(handler, 1), scope))
      await Effect.runPromise(queue.submit({ run_id: "dies-once", thread_id: "t" }))
      await waitUntil(() => attempts.length === 2, "the second attempt")
      expect(attempts).toEqual([1, 2])
      await new Promise((r) => setTimeout(r, 200))
      expect((await Effect.runPromise(queue.stats)).in_flight).toBe(0)
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }, 30_000)
})
