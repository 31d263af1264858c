import { Clock, Effect, Fiber, Layer, Queue } from "effect"
import { QueueFull, type RunJob, RunQueue } from "../../ports/RunQueue.js"

interface Waiting {
  readonly run_id: string
  readonly thread_id: string
  readonly enqueued_at: number
}

/**
 * One process's queue (persistence.backend: memory): jobs live as long as the process; a cancel
 * interrupts the fiber that runs the job, or drops it while it waits.
 */
export const make = (maxPending: number) =>
  Effect.gen(function* () {
    const queue = yield* Queue.unbounded<Waiting>()
    const waiting = new Map<string, Waiting>()
    const running = new Map<string, Fiber.RuntimeFiber<void>>()
    const cancelled = new Set<string>()

    const submit = (job: { readonly run_id: string; readonly thread_id: string }) =>
      Effect.gen(function* () {
        if (waiting.size >= maxPending)
          return yield* Effect.fail(new QueueFull({ pending: waiting.size, message: `the queue holds ${waiting.size} waiting runs (queue.max_pending: ${maxPending}); retry later` }))
        const entry = { ...job, enqueued_at: yield* Clock.currentTimeMillis }
        waiting.set(job.run_id, entry)
        yield* Queue.offer(queue, entry)
      })

    const stats = Effect.map(Clock.currentTimeMillis, (now) => {
      let oldest = now
      for (const w of waiting.values()) oldest = Math.min(oldest, w.enqueued_at)
      return { pending: waiting.size, in_flight: running.size, oldest_wait_ms: now - oldest }
    })

    const cancel = (runId: string) =>
      Effect.suspend(() => {
        const fiber = running.get(runId)
        if (fiber !== undefined) return Effect.asVoid(Fiber.interruptFork(fiber))
        if (waiting.has(runId)) cancelled.add(runId)
        return Effect.void
      })

    const take = (handler: (job: RunJob) => Effect.Effect<void>) =>
      Effect.gen(function* () {
        const next = yield* Queue.take(queue)
        waiting.delete(next.run_id)
        if (cancelled.delete(next.run_id)) return
        const job: RunJob = { run_id: next.run_id, thread_id: next.thread_id, attempt: 1 }
        const fiber = yield* Effect.fork(handler(job))
        running.set(job.run_id, fiber)
        yield* Fiber.await(fiber)
        running.delete(job.run_id)
      })

    const consume = (handler: (job: RunJob) => Effect.Effect<void>, concurrency: number) =>
      Effect.asVoid(Effect.forkScoped(Effect.all(Array.from({ length: Math.max(1, concurrency) }, () => Effect.forever(take(handler))), { concurrency: "unbounded" })))

    return RunQueue.of({ submit, stats, cancel, consume })
  })

export const layer = (maxPending: number) => Layer.effect(RunQueue, make(maxPending))
