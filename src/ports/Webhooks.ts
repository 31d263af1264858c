import { Context, type Effect } from "effect"

/** Tells a run's `webhook` URL how the run ended (POST of a JSON body; retries and timeout are the adapter's). */
export class Webhooks extends Context.Tag("agentmap/Webhooks")<Webhooks, { readonly deliver: (url: string, body: unknown) => Effect.Effect<void> }>() {}
