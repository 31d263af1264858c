import { Context, type Effect, type Option } from "effect"
import type { RunRecord, RunStatus } from "../domain/BackgroundRun.js"
import type { StoreUnavailable } from "../domain/Errors.js"

/** Durable records of LangGraph-API runs, next to the thread registry (same store, same backend). */
export class RunStore extends Context.Tag("agentmap/RunStore")<
  RunStore,
  {
    readonly create: (run: RunRecord) => Effect.Effect<void, StoreUnavailable>
    readonly get: (runId: string) => Effect.Effect<Option.Option<RunRecord>, StoreUnavailable>
    /** A thread's runs, newest first. */
    readonly listByThread: (
      threadId: string,
      page: { readonly limit: number; readonly offset: number; readonly status?: RunStatus }
    ) => Effect.Effect<ReadonlyArray<RunRecord>, StoreUnavailable>
    /** Sets the status (and error) only when the run is in one of `from`; true when it changed. */
    readonly transition: (
      runId: string,
      from: ReadonlyArray<RunStatus>,
      to: RunStatus,
      error?: string | null
    ) => Effect.Effect<boolean, StoreUnavailable>
    readonly remove: (runId: string) => Effect.Effect<void, StoreUnavailable>
    readonly removeByThread: (threadId: string) => Effect.Effect<void, StoreUnavailable>
  }
>() {}
