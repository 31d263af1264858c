import { Context, Data, type Effect, type Scope } from "effect"
import type { StoreUnavailable } from "../domain/Errors.js"

/** The queue holds `queue.max_pending` jobs already: the API answers 429 with Retry-After. */
export class QueueFull extends Data.TaggedError("QueueFull")<{ readonly pending: number; readonly message: string }> {}

/** One background run to execute; the run's record (RunStore) says what to do. */
export interface RunJob {
  readonly run_id: string
  readonly thread_id: string
  /** 1 on the first pickup; more when a worker died holding it and another took it over. */
  readonly attempt: number
}

export interface QueueStats {
  /** Jobs waiting for a worker. */
  readonly pending: number
  /** Jobs a worker holds now. */
  readonly in_flight: number
  /** Milliseconds the oldest waiting job has waited (0 when none waits). */
  readonly oldest_wait_ms: number
}

/**
 * The shared, durable queue of background runs: PostgreSQL (graphile-worker, LISTEN/NOTIFY pickup,
 * dead workers' jobs taken over), SQLite (the same semantics in the same database file, one
 * machine), or memory (one process). A job is executed by exactly one live worker at a time.
 */
export class RunQueue extends Context.Tag("agentmap/RunQueue")<
  RunQueue,
  {
    /** Enqueues a run whose record exists; fails with QueueFull beyond `queue.max_pending`. */
    readonly submit: (job: { readonly run_id: string; readonly thread_id: string }) => Effect.Effect<void, QueueFull | StoreUnavailable>
    readonly stats: Effect.Effect<QueueStats, StoreUnavailable>
    /** Asks whichever worker runs (or will run) this job to stop it: its handler fiber is interrupted. */
    readonly cancel: (runId: string) => Effect.Effect<void, StoreUnavailable>
    /**
     * Consumes jobs until the scope closes, `concurrency` at a time. A job whose handler succeeds
     * (or is interrupted by `cancel`) is done; one whose worker dies is picked up again (attempt + 1).
     * A handler that dies (the executor could not read the run's record) is tried again after a
     * back-off on PostgreSQL (graphile-worker's: e^attempt seconds); SQLite and memory, whose run
     * records live in the same file or process as the queue, count it done.
     */
    readonly consume: (handler: (job: RunJob) => Effect.Effect<void>, concurrency: number) => Effect.Effect<void, StoreUnavailable, Scope.Scope>
  }
>() {}

/** Executes one background run by id (the application's run service provides it; the queue consumer calls it). */
export class RunExecutor extends Context.Tag("agentmap/RunExecutor")<RunExecutor, { readonly execute: (job: RunJob) => Effect.Effect<void> }>() {}
