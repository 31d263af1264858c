import { Context, type Effect, type Option } from "effect"
import type { StoreUnavailable, ThreadExists } from "../domain/Errors.js"
import type { RunResult } from "../domain/RunResult.js"
import type { PendingInterrupt, ThreadRecord, ThreadStatus } from "../domain/Thread.js"

export interface Claim {
  readonly thread_id: string
  /** The interrupt the resume answers; undefined = continuing a thread whose process died. */
  readonly interrupt_id: string | undefined
  readonly owner: string
  readonly lease_until: number
  readonly now: number
}

export interface Finish {
  readonly status: ThreadStatus
  readonly interrupt: PendingInterrupt | null
  readonly result: RunResult
}

/** Durable record of every run (thread): what it started from, where it is, who holds it. */
export class ThreadRegistry extends Context.Tag("agentmap/ThreadRegistry")<
  ThreadRegistry,
  {
    /** Fails with ThreadExists when the id is taken. */
    readonly create: (record: ThreadRecord) => Effect.Effect<void, ThreadExists | StoreUnavailable>
    readonly get: (threadId: string) => Effect.Effect<Option.Option<ThreadRecord>, StoreUnavailable>
    readonly list: (filter: { readonly status?: ThreadStatus }) => Effect.Effect<ReadonlyArray<ThreadRecord>, StoreUnavailable>
    /**
     * One atomic conditional update: the thread becomes `running` under `owner` only if it is
     * suspended on `interrupt_id`, or running with an expired lease. True when this caller won.
     */
    readonly claim: (claim: Claim) => Effect.Effect<boolean, StoreUnavailable>
    /** Extends the lease of every running thread `owner` (one process) holds; returns how many. */
    readonly renew: (owner: string, leaseUntil: number) => Effect.Effect<number, StoreUnavailable>
    /** Records how the run ended (only while `owner` holds the thread). */
    readonly finish: (threadId: string, owner: string, finish: Finish) => Effect.Effect<boolean, StoreUnavailable>
    /** Threads last updated before `before` (epoch ms): finished ones, and suspended ones when asked. */
    readonly prunable: (before: number, includeSuspended: boolean) => Effect.Effect<ReadonlyArray<string>, StoreUnavailable>
    readonly remove: (threadId: string) => Effect.Effect<void, StoreUnavailable>
  }
>() {}
