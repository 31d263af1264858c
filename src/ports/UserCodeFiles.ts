import { Context, type Effect, Schema } from "effect"

export class StubWriteFailed extends Schema.TaggedError<StubWriteFailed>()("StubWriteFailed", {
  file: Schema.String,
  message: Schema.String
}) {}

/** The configured folders of user code, absolute. */
export interface UserCodeFolders {
  /** `paths.custom_agents` (default `custom_agents` beside the config file). */
  readonly customAgents: string
  /** `paths.functions`. */
  readonly functions: string
  /** `paths.custom_tools` (default `custom_tools`). */
  readonly customTools: string
}

/** The folders where user code lives, as `agentmap scaffold` reads and writes them. */
export class UserCodeFiles extends Context.Tag("agentmap/UserCodeFiles")<
  UserCodeFiles,
  {
    readonly folders: UserCodeFolders
    /** `relative` against the folder `base` (an absolute `relative` stays as it is). */
    readonly resolve: (base: string, relative: string) => string
    readonly dirname: (file: string) => string
    /** How a path is shown: relative to the working directory when it is inside it. */
    readonly display: (file: string) => string
    /** The file names in a folder; none when it does not exist. */
    readonly list: (folder: string) => Effect.Effect<ReadonlyArray<string>>
    /** A file's text, or undefined when there is no such file. */
    readonly read: (file: string) => Effect.Effect<string | undefined>
    /** The agent types `custom_agents.yaml` (or `.yml`) in the folder declares under `agents:`. */
    readonly declaredAgentTypes: (folder: string) => Effect.Effect<ReadonlyArray<string>>
    /** Writes a file, creating its folder. */
    readonly write: (file: string, text: string) => Effect.Effect<void, StubWriteFailed>
  }
>() {}
