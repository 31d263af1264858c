import { Deferred, Effect, Exit, Scope } from "effect"
import { expect, it } from "vitest"
import type { RunJob, RunQueue } from "../../src/ports/RunQueue.js"

type Queue = RunQueue["Type"]

/** Opens one queue instance (as one process would) in the scope; every instance of one test shares the same store. */
export type OpenQueue = (maxPending: number) => Effect.Effect<Queue, unknown, Scope.Scope>

const scoped = <A>(body: (scope: Scope.Scope) => Effect.Effect<A, unknown>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const exit = yield* Effect.exit(body(scope))
      yield* Scope.close(scope, Exit.void)
      return yield* exit
    }) as Effect.Effect<A, unknown>
  )

const waitUntil = (check: () => boolean, what: string, millis = 10_000) =>
  Effect.gen(function* () {
    const end = Date.now() + millis
    while (!check()) {
      if (Date.now() > end) return yield* Effect.die(new Error(`timed out waiting for ${what}`))
      yield* Effect.sleep("10 millis")
    }
  })

let counter = 0
const runId = (label: string) => `${label}-${process.pid}-${Date.now()}-${counter++}`

/** The behaviour every durable RunQueue adapter shares: `fresh()` gives a new, empty store per test. */
export const queueContract = (fresh: () => OpenQueue) => {
  it("consumes each submitted job once, attempt 1", () =>
    scoped((scope) =>
      Effect.gen(function* () {
        const open = fresh()
        const queue = yield* Scope.extend(open(100), scope)
        const seen: Array<RunJob> = []
        yield* Scope.extend(queue.consume((job) => Effect.sync(() => void seen.push(job)), 4), scope)
        const ids = Array.from({ length: 10 }, () => runId("once"))
        for (const id of ids) yield* queue.submit({ run_id: id, thread_id: `t-${id}` })
        yield* waitUntil(() => seen.length >= ids.length, "10 jobs")
        yield* Effect.sleep("300 millis")
        expect(seen.map((j) => j.run_id).sort()).toEqual([...ids].sort())
        expect(seen.every((j) => j.attempt === 1 && j.thread_id === `t-${j.run_id}`)).toBe(true)
        const stats = yield* queue.stats
        expect(stats).toEqual({ pending: 0, in_flight: 0, oldest_wait_ms: 0 })
      })
    ))

  it("refuses a job beyond max_pending with QueueFull, and reports pending and the oldest wait", () =>
    scoped((scope) =>
      Effect.gen(function* () {
        const queue = yield* Scope.extend(fresh()(3), scope)
        for (let i = 0; i < 3; i++) yield* queue.submit({ run_id: runId("full"), thread_id: "t" })
        const refused = yield* Effect.flip(queue.submit({ run_id: runId("full"), thread_id: "t" }))
        expect(refused._tag).toBe("QueueFull")
        if (refused._tag === "QueueFull") expect(refused.pending).toBe(3)
        yield* Effect.sleep("50 millis")
        const stats = yield* queue.stats
        expect(stats.pending).toBe(3)
        expect(stats.in_flight).toBe(0)
        expect(stats.oldest_wait_ms).toBeGreaterThan(0)
      })
    ))

  it("a consumer shut down mid-run interrupts its handler and gives the job back: another consumer runs it (attempt 2)", () =>
    scoped((scope) =>
      Effect.gen(function* () {
        const open = fresh()
        const api = yield* Scope.extend(open(100), scope)
        const first = yield* Scope.make()
        const leaving = yield* Scope.extend(open(100), first)
        const started: Array<RunJob> = []
        let interrupted = 0
        yield* Scope.extend(
          leaving.consume((job) => Effect.sync(() => void started.push(job)).pipe(Effect.zipRight(Effect.never), Effect.onInterrupt(() => Effect.sync(() => interrupted++))), 1),
          first
        )
        const id = runId("handover")
        yield* api.submit({ run_id: id, thread_id: "t" })
        yield* waitUntil(() => started.length === 1, "the first consumer to start the job")
        yield* Scope.close(first, Exit.void)
        expect(interrupted).toBe(1)
        const again: Array<RunJob> = []
        const staying = yield* Scope.extend(open(100), scope)
        yield* Scope.extend(staying.consume((job) => Effect.sync(() => void again.push(job)), 1), scope)
        yield* waitUntil(() => again.length === 1, "the second consumer to run the job", 15_000)
        expect(again[0]).toMatchObject({ run_id: id, attempt: 2 })
      })
    ), 30_000)

  it("a cancelled waiting job never runs; a running one is interrupted on the consumer that runs it", () =>
    scoped((scope) =>
      Effect.gen(function* () {
        const open = fresh()
        const api = yield* Scope.extend(open(100), scope)
        const worker = yield* Scope.extend(open(100), scope)
        const waiting = runId("cancel-waiting")
        yield* api.submit({ run_id: waiting, thread_id: "t" })
        yield* api.cancel(waiting)
        const started: Array<string> = []
        const interrupted = yield* Deferred.make<string>()
        const long = runId("cancel-running")
        yield* Scope.extend(
          worker.consume(
            (job) =>
              Effect.sync(() => void started.push(job.run_id)).pipe(
                Effect.zipRight(Effect.never),
                Effect.onInterrupt(() => Deferred.succeed(interrupted, job.run_id))
              ),
            2
          ),
          scope
        )
        yield* api.submit({ run_id: long, thread_id: "t" })
        yield* waitUntil(() => started.includes(long), "the long job to start")
        expect((yield* api.stats).in_flight).toBe(1)
        yield* api.cancel(long)
        expect(yield* Deferred.await(interrupted).pipe(Effect.timeout("10 seconds"))).toBe(long)
        yield* Effect.sleep("300 millis")
        expect(started).toEqual([long])
        const stats = yield* api.stats
        expect(stats.pending + stats.in_flight).toBe(0)
      })
    ))
}
