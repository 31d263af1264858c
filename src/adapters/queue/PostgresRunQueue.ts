import { createRequire } from "node:module"
import { Cause, Duration, Effect, Exit, Fiber, Layer, Runtime, Schedule } from "effect"
import type { Client, Pool } from "pg"
import * as Metrics from "../../application/Metrics.js"
import { StoreUnavailable } from "../../domain/Errors.js"
import { QueueFull, type RunJob, RunQueue } from "../../ports/RunQueue.js"
import { lazyResource } from "../persistence/LazyResource.js"
import { describeUrl } from "../persistence/PostgresPersistence.js"
import { keepRunning } from "./GraphileRunner.js"
import * as Sql from "./PostgresQueueSql.js"

export interface PostgresQueueOptions {
  readonly url: string
  /** graphile-worker's schema (created and migrated on start). */
  readonly schema: string
  readonly maxPending: number
  readonly connectTimeoutMillis?: number
  /** Seconds between two sweeps for dead workers' jobs (default 1). */
  readonly sweepMillis?: number
}

/** High: a job is retried only when its worker died or stopped; the run's own failures are the run record's business. */
const MAX_ATTEMPTS = 10_000

/** graphile-worker's schema for a persistence schema: `graphile_worker` beside `public`, `<schema>_graphile_worker` otherwise. */
export const graphileSchema = (persistenceSchema: string) => {
  const clean = persistenceSchema.replace(/[^A-Za-z0-9_]/g, "")
  return clean === "" || clean === "public" ? "graphile_worker" : `${clean}_graphile_worker`
}

const SHUTDOWN = "agentmap: the consumer is shutting down; the run continues elsewhere"

/** Required, not imported: a native-style external of the bundle (the CLI's bundle runs where `import()` is not available). */
const graphileWorker = () => createRequire(import.meta.url)("graphile-worker") as typeof import("graphile-worker")

const quietLogger = () => {
  const { Logger } = graphileWorker()
  return new Logger(() => (level, message) => {
    // its shutdown on another schema's migration is told (and undone) by keepRunning
    const known = message.includes(SHUTDOWN) || message.includes("detected breaking migration")
    if ((level === "error" || level === "warning") && !known) process.stderr.write(`graphile-worker: ${message}\n`)
  })
}

/**
 * The queue on PostgreSQL, on graphile-worker 0.16 (LISTEN/NOTIFY pickup, its own schema and
 * migrations). Takeover: every consumer holds a session advisory lock per worker id on a dedicated
 * connection and sweeps, every second, for jobs locked by worker ids whose lock is free (their
 * process died), unlocking them so they run again (attempt + 1) instead of after graphile's 4 hours.
 * Cancel: the waiting job is removed and `NOTIFY agentmap_cancel` reaches the consumer running it.
 */
export const make = (options: PostgresQueueOptions) =>
  Effect.gen(function* () {
    const store = describeUrl(options.url)
    const schema = options.schema.replace(/[^A-Za-z0-9_]/g, "")
    const unavailable = (what: string) => (e: unknown) =>
      new StoreUnavailable({ store, message: `queue on PostgreSQL at ${store}: cannot ${what}: ${e instanceof Error ? e.message : String(e)}` })
    const attempt = <A>(what: string, work: () => Promise<A>) => Effect.tryPromise({ try: work, catch: unavailable(what) })
    const connection = yield* lazyResource(
      async () => {
        const pg = (await import("pg")).default
        const { runMigrations, run } = graphileWorker()
        const logger = quietLogger()
        const pool: Pool = new pg.Pool({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMillis ?? 10_000, max: 4 })
        pool.on("error", () => undefined)
        // servers starting together on a fresh database would migrate the schema at once and one
        // of them fail (and never consume): they take turns under an advisory lock
        const migrate = async () => {
          const client = await pool.connect()
          try {
            await client.query("SELECT pg_advisory_lock(hashtext($1))", [`agentmap:graphile-migrate:${schema}`])
            try {
              await runMigrations({ pgPool: pool, schema, logger })
            } finally {
              await client.query("SELECT pg_advisory_unlock(hashtext($1))", [`agentmap:graphile-migrate:${schema}`])
            }
          } finally {
            client.release()
          }
        }
        try {
          await migrate()
        } catch (e) {
          await pool.end().catch(() => undefined)
          throw e
        }
        return { pg, pool, logger, run, migrate }
      },
      ({ pool }) => pool.end(),
      unavailable("connect and migrate graphile-worker's schema")
    )
    const query = (what: string, sql: string, params: ReadonlyArray<unknown> = []) =>
      Effect.flatMap(connection, ({ pool }) => attempt(what, async () => (await pool.query(sql, params as Array<unknown>)).rows as ReadonlyArray<Record<string, unknown>>))

    const submit = (job: { readonly run_id: string; readonly thread_id: string }) =>
      Effect.gen(function* () {
        const [row] = yield* query("count waiting jobs", Sql.countPending(schema))
        const pending = Number(row?.["n"] ?? 0)
        if (pending >= options.maxPending)
          return yield* Effect.fail(new QueueFull({ pending, message: `the queue holds ${pending} waiting runs (queue.max_pending: ${options.maxPending}); retry later` }))
        yield* query("add the job", `SELECT ${schema}.add_job($1, $2::json, job_key => $3, max_attempts => $4)`, [Sql.TASK, JSON.stringify(job), job.run_id, MAX_ATTEMPTS])
      })

    const stats = Effect.map(query("read the queue's stats", Sql.stats(schema)), ([row]) => ({
      pending: Number(row?.["pending"] ?? 0),
      in_flight: Number(row?.["in_flight"] ?? 0),
      oldest_wait_ms: Number(row?.["oldest_wait_ms"] ?? 0)
    }))

    const cancel = (runId: string) =>
      Effect.asVoid(Effect.zipRight(query("remove the job", Sql.removeJob(schema), [runId]), query("announce the cancel", Sql.notifyCancel, [runId])))

    const consume = (handler: (job: RunJob) => Effect.Effect<void>, concurrency: number) =>
      Effect.gen(function* () {
        const { pg, logger, run, migrate } = yield* connection
        const runtime = yield* Effect.runtime<never>()
        const running = new Map<string, Fiber.RuntimeFiber<void>>()
        /** Cancels heard before the job's handler started (bounded: oldest forgotten first). */
        const cancelled = new Set<string>()
        const givenBack: Array<string> = []
        let stopping = false
        const workerPool = new pg.Pool({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMillis ?? 10_000, max: concurrency + 3 })
        workerPool.on("error", () => undefined)
        yield* Effect.addFinalizer(() => Effect.promise(() => workerPool.end().catch(() => undefined)))

        // The dedicated connection: the workers' advisory locks (freed when this process dies) and the cancel channel.
        const lockClient: Client = yield* Effect.acquireRelease(
          attempt("open the lock connection", async () => {
            const client = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMillis ?? 10_000 })
            client.on("error", () => undefined)
            await client.connect()
            await client.query(`LISTEN ${Sql.CANCEL_CHANNEL}`)
            return client
          }),
          (client) => Effect.promise(() => client.end().catch(() => undefined))
        )
        lockClient.on("notification", (message) => {
          const runId = message.payload ?? ""
          const fiber = running.get(runId)
          if (fiber !== undefined) Runtime.runFork(runtime)(Fiber.interruptFork(fiber))
          else {
            cancelled.add(runId)
            if (cancelled.size > 10_000) cancelled.delete(cancelled.values().next().value as string)
          }
        })

        let locks: Promise<unknown> = Promise.resolve()
        const onLockClient = (sql: string, workerId: string) => {
          locks = locks.catch(() => undefined).then(() => lockClient.query(sql, [workerId]))
          return locks
        }

        const task = async (payload: unknown, helpers: { job: { id: string; attempts: number; run_at: Date } }) => {
          const { run_id, thread_id } = payload as { run_id: string; thread_id: string }
          if (cancelled.delete(run_id)) return
          if (helpers.job.attempts === 1) Runtime.runFork(runtime)(Metrics.observe(Metrics.queuePickup, {}, Math.max(0, Date.now() - helpers.job.run_at.getTime()) / 1000))
          const fiber = Runtime.runFork(runtime)(handler({ run_id, thread_id, attempt: helpers.job.attempts }))
          running.set(run_id, fiber)
          const exit = await Runtime.runPromise(runtime)(Fiber.await(fiber))
          running.delete(run_id)
          if (stopping && Exit.isInterrupted(exit)) {
            // Given back: graphile marks it failed (not done), it runs again on another consumer.
            givenBack.push(String(helpers.job.id))
            throw new Error(SHUTDOWN)
          }
          // The handler died (the run's store was unreachable): graphile runs it again after its back-off.
          if (Exit.isFailure(exit) && !Exit.isInterrupted(exit)) throw new Error(`agentmap: run ${run_id} failed before it started: ${Cause.pretty(exit.cause)}`)
        }

        const runner = yield* attempt("start graphile-worker", () =>
          keepRunning({
            start: (events) =>
              run({ pgPool: workerPool, schema, concurrency: Math.max(1, concurrency), noHandleSignals: true, logger, events: events as never, taskList: { [Sql.TASK]: task as never } }),
            check: migrate,
            created: (workerId) => void onLockClient(Sql.lockWorker, workerId).catch(() => undefined),
            // a stopped pool's workers hold no job: their ids are dead, whatever they left the sweeper takes over
            retired: async (workerIds) => {
              for (const workerId of workerIds) await onLockClient(Sql.unlockWorker, workerId)
            },
            say: (message) => process.stderr.write(`agentmap: queue on PostgreSQL at ${store}: ${message}\n`)
          })
        )
        yield* attempt("lock the worker ids", () => locks)
        let stopped: Promise<void> | undefined
        const stopRunner = () => (stopped ??= runner.stop().catch(() => undefined))
        // Without its lock connection this process no longer says its workers are alive: the others
        // take its jobs over, so it must not go on running them.
        lockClient.on("end", () => {
          if (stopping) return
          stopping = true
          process.stderr.write(`agentmap: queue on PostgreSQL at ${store}: the lock connection closed; this process stops consuming, its runs continue on other consumers\n`)
          for (const fiber of running.values()) Runtime.runFork(runtime)(Fiber.interruptFork(fiber))
          void stopRunner()
        })
        yield* Effect.addFinalizer(() =>
          Effect.gen(function* () {
            stopping = true
            yield* Fiber.interruptAll([...running.values()])
            yield* Effect.promise(stopRunner)
            if (givenBack.length > 0)
              yield* Effect.ignore(Effect.zipRight(query("give the interrupted jobs back", Sql.runNow(schema), [givenBack]), query("wake the other workers", Sql.nudgeWorkers, [givenBack.length])))
          })
        )

        const sweep = Effect.gen(function* () {
          const dead = (yield* query("find dead workers", Sql.deadWorkers(schema))).map((r) => String(r["worker_id"]))
          if (dead.length > 0) {
            yield* query("unlock dead workers' jobs", Sql.forceUnlock(schema), [dead])
            yield* query("wake the workers", Sql.nudgeWorkers, [1000])
            yield* Effect.logInfo(`queue: took over the jobs of ${dead.length} dead worker(s)`)
          }
        }).pipe(Effect.catchAll((e) => Effect.logWarning(e.message)))
        yield* Effect.forkScoped(Effect.repeat(sweep, Schedule.spaced(Duration.millis(options.sweepMillis ?? 1000))))
      })

    return RunQueue.of({ submit, stats, cancel, consume })
  })

export const layer = (options: PostgresQueueOptions) => Layer.scoped(RunQueue, make(options))
