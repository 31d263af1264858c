import { Context, type Effect } from "effect"
import type { StoreUnavailable } from "../domain/Errors.js"

/** The engine's durable checkpoints, in domain terms (the engine adapter reaches the saver itself). */
export class CheckpointStore extends Context.Tag("agentmap/CheckpointStore")<
  CheckpointStore,
  {
    /** Whether any checkpoint exists for the thread. */
    readonly has: (threadId: string) => Effect.Effect<boolean, StoreUnavailable>
    /** Deletes every checkpoint (and pending write) of the thread. */
    readonly deleteThread: (threadId: string) => Effect.Effect<void, StoreUnavailable>
    /** Where the store lives, for messages (`sqlite:/path`, `postgres://host/db`, `memory`). */
    readonly describe: string
  }
>() {}
