import { Context, type Effect, Schema } from "effect"

export class PromptNotFound extends Schema.TaggedError<PromptNotFound>()("PromptNotFound", {
  reference: Schema.String,
  message: Schema.String
}) {}

/** Prompt text kept outside the CSV: `prompt:name` (registry), `file:path`, `yaml:path#a.b.c`. */
export class PromptLibrary extends Context.Tag("agentmap/PromptLibrary")<
  PromptLibrary,
  {
    /** Resolves a reference; text that is not a reference comes back unchanged. */
    readonly resolve: (prompt: string) => Effect.Effect<string, PromptNotFound>
  }
>() {}

export const isPromptReference = (prompt: string): boolean => /^(prompt|file|yaml):\S/.test(prompt.trim())
