import { Context, type Effect, Schema } from "effect"

/** A user module that cannot be used: it does not compile, throws at import, or exports the wrong shape. */
export class ModuleLoadError extends Schema.TaggedError<ModuleLoadError>()("ModuleLoadError", {
  /** The module's path (absolute). */
  file: Schema.String,
  /** The module's own position, where the compiler gives one (1-based). */
  line: Schema.optional(Schema.Number),
  column: Schema.optional(Schema.Number),
  message: Schema.String
}) {}

/**
 * User code beside a workflow: custom agents, tools, host services. `load` compiles TypeScript
 * (once, cached under `paths.cache` by content hash) and imports the module; `agentmap`, `effect`,
 * `zod` and `@langchain/core/*` resolve to the running AgentMap's own copies.
 */
export class UserModules extends Context.Tag("agentmap/UserModules")<
  UserModules,
  {
    /** The module's namespace, by absolute path. */
    readonly load: (file: string) => Effect.Effect<Readonly<Record<string, unknown>>, ModuleLoadError>
    /** The sha256 of the module's source file, or undefined when there is none. */
    readonly fingerprint: (file: string) => Effect.Effect<string | undefined>
  }
>() {}
