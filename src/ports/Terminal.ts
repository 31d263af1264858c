import { Context, type Effect, type Option } from "effect"

/** A person at an interactive terminal, when there is one. */
export class Terminal extends Context.Tag("agentmap/Terminal")<
  Terminal,
  {
    /** Asks a question; `None` when nobody can answer (no TTY, HTTP, serverless). */
    readonly ask: (question: string) => Effect.Effect<Option.Option<string>>
  }
>() {}
