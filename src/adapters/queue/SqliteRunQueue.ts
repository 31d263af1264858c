import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { Effect, Exit, Fiber, Layer, Runtime } from "effect"
import * as Metrics from "../../application/Metrics.js"
import { StoreUnavailable } from "../../domain/Errors.js"
import { lazyResource } from "../persistence/LazyResource.js"
import { QueueFull, type RunJob, RunQueue } from "../../ports/RunQueue.js"
import * as Sql from "./SqliteQueueSql.js"

export interface SqliteQueueOptions {
  /** The database file of the other stores (persistence.sqlite_path). */
  readonly file: string
  readonly maxPending: number
  /** How long a held job stays held without its holder renewing (persistence.lease_seconds). */
  readonly leaseMillis: number
  /** The safety poll's period (default 1 s): wake-ups normally come from submits and the WAL file changing. */
  readonly safetyPollMillis?: number
}

type Database = import("better-sqlite3").Database

const open = (file: string): Database => {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3")
  const db = new Database(file, { timeout: 5000 })
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  for (const statement of Sql.SCHEMA) db.exec(statement)
  return db
}

/**
 * A durable queue in the SQLite file of the other stores, for the processes of one machine: a job
 * is claimed with one UPDATE…RETURNING (holder + lease), the lease renewed while its handler runs;
 * a dead holder's lease expires and the job is claimed again (attempt + 1). Pickup does not busy
 * poll: a submit wakes this process's consumer, a change of the `-wal` file (another process wrote)
 * wakes every consumer, and a slow safety poll catches anything missed. A cancel removes a waiting
 * job or flags a held one; its holder sees the flag on the same wake-ups and interrupts the handler.
 */
export const make = (options: SqliteQueueOptions) =>
  Effect.gen(function* () {
    const store = `SQLite queue at ${options.file}`
    const unavailable = (what: string) => (e: unknown) => new StoreUnavailable({ store, message: `${store}: cannot ${what}: ${e instanceof Error ? e.message : String(e)}` })
    const attempt = <A>(what: string, work: () => A) => Effect.try({ try: work, catch: unavailable(what) })
    const connection = yield* lazyResource(
      async () => {
        const db = open(options.file)
        const statement = (sql: string) => db.prepare(sql)
        return {
          db,
          statement,
          countPending: statement(Sql.countPending),
          insert: statement(Sql.insert),
          stats: statement(Sql.stats),
          removeWaiting: statement(Sql.removeWaiting),
          flagCancel: statement(Sql.flagCancel)
        }
      },
      async ({ db }) => void db.close(),
      unavailable("open the database")
    )
    /** Consumers of this process, woken on submit and cancel. */
    const local = new Set<() => void>()
    const wakeLocal = () => local.forEach((wake) => wake())

    const submit = (job: { readonly run_id: string; readonly thread_id: string }) =>
      Effect.gen(function* () {
        const { countPending, insert } = yield* connection
        const now = Date.now()
        const pending = Number((yield* attempt("count waiting jobs", () => countPending.get({ now }) as { n: number })).n)
        if (pending >= options.maxPending)
          return yield* Effect.fail(new QueueFull({ pending, message: `the queue holds ${pending} waiting runs (queue.max_pending: ${options.maxPending}); retry later` }))
        yield* attempt("add the job", () => insert.run({ ...job, now }))
        wakeLocal()
      })

    const readStats = Effect.flatMap(connection, ({ stats }) =>
      Effect.map(
        attempt("read the queue's stats", () => stats.get({ now: Date.now() }) as { pending: number; in_flight: number; oldest_wait_ms: number }),
        (row) => ({ pending: Number(row.pending), in_flight: Number(row.in_flight), oldest_wait_ms: Number(row.oldest_wait_ms) })
      )
    )

    const cancel = (runId: string) =>
      Effect.gen(function* () {
        const { removeWaiting, flagCancel } = yield* connection
        const removed = yield* attempt("remove the job", () => removeWaiting.run({ run_id: runId, now: Date.now() }).changes)
        if (removed === 0) yield* attempt("flag the cancel", () => flagCancel.run({ run_id: runId }))
        wakeLocal()
      })

    const consume = (handler: (job: RunJob) => Effect.Effect<void>, concurrency: number) =>
      Effect.gen(function* () {
        const { statement } = yield* connection
        const runtime = yield* Effect.runtime<never>()
        const worker = `sqlite-${process.pid}-${randomBytes(6).toString("hex")}`
        const claim = statement(Sql.claim)
        const renew = statement(Sql.renew)
        const complete = statement(Sql.complete)
        const release = statement(Sql.release)
        const cancelledMine = statement(Sql.cancelledMine)
        const dropAbandoned = statement(Sql.dropAbandoned)
        const running = new Map<string, Fiber.RuntimeFiber<void>>()
        const cancelling = new Set<string>()
        const slots = Math.max(1, concurrency)
        let stopping = false
        let draining = false
        let again = false

        const start = (row: { run_id: string; thread_id: string; attempts: number; enqueued_at: number }) => {
          if (row.attempts === 1) Runtime.runFork(runtime)(Metrics.observe(Metrics.queuePickup, {}, Math.max(0, Date.now() - row.enqueued_at) / 1000))
          const fiber = Runtime.runFork(runtime)(handler({ run_id: row.run_id, thread_id: row.thread_id, attempt: row.attempts }))
          running.set(row.run_id, fiber)
          fiber.addObserver((exit) => {
            running.delete(row.run_id)
            const givenBack = stopping && Exit.isInterrupted(exit) && !cancelling.has(row.run_id)
            cancelling.delete(row.run_id)
            try {
              ;(givenBack ? release : complete).run({ run_id: row.run_id, worker })
            } catch (e) {
              process.stderr.write(`agentmap: ${store}: cannot finish job ${row.run_id}: ${String(e)}\n`)
            }
            if (!stopping) wake()
          })
        }

        /** Interrupts the handlers of jobs flagged cancelled, then claims jobs while slots are free. */
        const drain = () => {
          const now = Date.now()
          if (running.size > 0)
            for (const { run_id } of cancelledMine.all({ worker }) as Array<{ run_id: string }>) {
              const fiber = running.get(run_id)
              if (fiber !== undefined && !cancelling.has(run_id)) {
                cancelling.add(run_id)
                Runtime.runFork(runtime)(Fiber.interruptFork(fiber))
              }
            }
          while (!stopping && running.size < slots) {
            const row = claim.get({ worker, now, lease: options.leaseMillis }) as { run_id: string; thread_id: string; attempts: number; enqueued_at: number } | undefined
            if (row === undefined) break
            start(row)
          }
        }
        const wake = () => {
          if (stopping) return
          if (draining) {
            again = true
            return
          }
          draining = true
          try {
            do {
              again = false
              drain()
            } while (again && !stopping)
          } catch (e) {
            process.stderr.write(`agentmap: ${store}: cannot claim jobs: ${String(e)}\n`)
          } finally {
            draining = false
          }
        }

        local.add(wake)
        const watcher = yield* attempt("watch the WAL file", () => {
          const w = fs.watch(`${options.file}-wal`, { persistent: false }, () => wake())
          w.on("error", () => undefined)
          return w
        }).pipe(Effect.orElseSucceed(() => undefined))
        const poll = setInterval(() => {
          wake()
          try {
            dropAbandoned.run({ now: Date.now() })
          } catch {
            // the next poll tries again
          }
        }, options.safetyPollMillis ?? 1000)
        const renewal = setInterval(() => {
          try {
            if (running.size > 0) renew.run({ worker, now: Date.now(), lease: options.leaseMillis })
          } catch (e) {
            process.stderr.write(`agentmap: ${store}: cannot renew leases: ${String(e)}\n`)
          }
        }, Math.max(50, Math.floor(options.leaseMillis / 3)))
        yield* Effect.addFinalizer(() =>
          Effect.gen(function* () {
            stopping = true
            local.delete(wake)
            watcher?.close()
            clearInterval(poll)
            clearInterval(renewal)
            yield* Fiber.interruptAll([...running.values()])
          })
        )
        wake()
      })

    return RunQueue.of({ submit, stats: readStats, cancel, consume })
  })

export const layer = (options: SqliteQueueOptions) => Layer.scoped(RunQueue, make(options))
