import { Context, type Effect, Schema } from "effect"
import type { AgentDefinition } from "./AgentDefinition.js"
import type { ModuleLoadError } from "./UserModules.js"

/** Where a custom agent type comes from: a module file, or a definition the host registered in code. */
export interface CustomAgentEntry {
  /** The normalised type name (`weather`). */
  readonly type: string
  /** The module (absolute), or undefined for a definition registered in code. */
  readonly file: string | undefined
  /** The export holding the definition (default `default`). */
  readonly exportName: string
  /** Services `custom_agents.yaml` says it needs, besides what the definition declares. */
  readonly requires: ReadonlyArray<string>
  readonly definition: AgentDefinition<unknown> | undefined
}

/** `custom_agents.yaml` cannot be used. */
export class CatalogError extends Schema.TaggedError<CatalogError>()("CatalogError", {
  file: Schema.String,
  line: Schema.Number,
  column: Schema.Number,
  message: Schema.String
}) {}

/** The custom agent types a workflow may use (`paths.custom_agents`, plus any registered in code). */
export class CustomAgentCatalog extends Context.Tag("agentmap/CustomAgentCatalog")<
  CustomAgentCatalog,
  {
    /** Every type by its normalised name. */
    readonly list: Effect.Effect<ReadonlyMap<string, CustomAgentEntry>, CatalogError>
    /** The folder, for messages. */
    readonly folder: string
  }
>() {}

/** The services the host provides to custom agents (`ctx.services`). */
export class HostServiceRegistry extends Context.Tag("agentmap/HostServiceRegistry")<
  HostServiceRegistry,
  {
    /** Loaded on first use; a host-services module that cannot be loaded fails with its position. */
    readonly services: Effect.Effect<Readonly<Record<string, unknown>>, ModuleLoadError>
    /** Where they come from, for messages (`createAgentMap({ services })`, a module path). */
    readonly source: string
  }
>() {}
