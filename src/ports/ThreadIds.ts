import { Context, type Effect } from "effect"

/** Fresh thread ids for runs. */
export class ThreadIds extends Context.Tag("agentmap/ThreadIds")<ThreadIds, { readonly next: Effect.Effect<string> }>() {}
