import { Context, type Effect, type Option, Schema } from "effect"
import type { StoreUnavailable, ThreadExists } from "../domain/Errors.js"

/** One state written to a thread through the LangGraph API (`POST /threads/{id}/state`). */
export const StateVersion = Schema.Struct({
  checkpoint_id: Schema.String,
  values: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  as_node: Schema.NullOr(Schema.String),
  created_at: Schema.String
})
export type StateVersion = typeof StateVersion.Type

/**
 * What the LangGraph API keeps about a thread besides its runs: its metadata, and for a thread
 * created empty (`POST /threads`, no run yet) its existence. `states` are the values written with
 * `POST /threads/{id}/state`, oldest first.
 */
export const ThreadMeta = Schema.Struct({
  thread_id: Schema.String,
  metadata: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  principal: Schema.NullOr(Schema.String),
  created_at: Schema.String,
  updated_at: Schema.String,
  states: Schema.Array(StateVersion)
})
export type ThreadMeta = typeof ThreadMeta.Type

/** At most this many written states are kept per thread (the oldest go first). */
export const MAX_STATES = 100

/** Thread metadata of the LangGraph API, in the same store as the thread registry. */
export class ThreadMetadata extends Context.Tag("agentmap/ThreadMetadata")<
  ThreadMetadata,
  {
    /** Fails with ThreadExists when the id already has metadata. */
    readonly create: (meta: ThreadMeta) => Effect.Effect<void, ThreadExists | StoreUnavailable>
    readonly get: (threadId: string) => Effect.Effect<Option.Option<ThreadMeta>, StoreUnavailable>
    /** Every thread with metadata, newest first. */
    readonly list: Effect.Effect<ReadonlyArray<ThreadMeta>, StoreUnavailable>
    /** Replaces the record (creating it when missing). */
    readonly put: (meta: ThreadMeta) => Effect.Effect<void, StoreUnavailable>
    readonly remove: (threadId: string) => Effect.Effect<void, StoreUnavailable>
  }
>() {}
