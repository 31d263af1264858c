import { Context, type Effect } from "effect"
import type { StoreUnavailable } from "../domain/Errors.js"
import type { RunResult } from "../domain/RunResult.js"

/** What a delivery finds when it claims its message id. */
export type Claimed =
  | { readonly _tag: "New" }
  /** Another delivery of the same message is running it now. */
  | { readonly _tag: "Running" }
  /** It ran before: here is its result. */
  | { readonly _tag: "Done"; readonly result: RunResult }

/** Message ids already handled (queue redeliveries run once), in the persistence backend. */
export class IdempotencyStore extends Context.Tag("agentmap/IdempotencyStore")<
  IdempotencyStore,
  {
    /** Claims `key` atomically; a claim older than `staleAfterMillis` that never finished may be taken over. */
    readonly claim: (key: string, now: number, staleAfterMillis: number) => Effect.Effect<Claimed, StoreUnavailable>
    readonly complete: (key: string, result: RunResult) => Effect.Effect<void, StoreUnavailable>
    /** Releases a claim whose run could not happen (an outage), so a redelivery runs it. */
    readonly release: (key: string) => Effect.Effect<void, StoreUnavailable>
  }
>() {}
