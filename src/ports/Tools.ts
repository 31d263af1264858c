import { Context, Data, type Effect } from "effect"
import type { Json } from "../domain/Json.js"
import type { ToolSource } from "../domain/ToolList.js"
import type { ToolSpec } from "./LanguageModels.js"

/** A tool call that did not give a result: bad arguments (`argument` names the first), or the tool failed. */
export class ToolCallError extends Data.TaggedError("ToolCallError")<{
  readonly tool: string
  readonly message: string
  readonly argument?: string
}> {}

/** A Tool_Source that cannot be used: no such module, a module without tools, an unknown or broken MCP server. */
export class ToolSourceError extends Data.TaggedError("ToolSourceError")<{
  readonly message: string
  /** The module at fault and its own position, when known. */
  readonly file?: string
  readonly line?: number
  readonly column?: number
}> {}

/** A tool ready to call: what the model is told about it, and how to call it. */
export interface RunnableTool extends ToolSpec {
  /** Checks the arguments against the tool's schema, then runs it; the result is JSON (undefined becomes null). */
  readonly call: (args: Readonly<Record<string, unknown>>, signal: AbortSignal) => Effect.Effect<Json, ToolCallError>
}

/** A Tool_Source found: a module's tools (loaded), or an MCP server's (listed on first use). */
export type LocatedTools =
  | {
      readonly _tag: "Module"
      readonly file: string
      /** The file as messages show it (relative to the CSV's folder when inside it). */
      readonly display: string
      /** Said to the author as a warning (e.g. an upstream `.py` reference resolved to a TypeScript module). */
      readonly notice: string | undefined
      readonly tools: ReadonlyArray<RunnableTool>
    }
  | {
      readonly _tag: "Mcp"
      readonly server: string
      /** Connects (once per process) and lists the server's tools. */
      readonly tools: Effect.Effect<ReadonlyArray<RunnableTool>, ToolSourceError>
    }

/** Where tools come from: modules beside the CSV or in `paths.custom_tools`, and MCP servers of `mcp.servers`. */
export class ToolSources extends Context.Tag("agentmap/ToolSources")<
  ToolSources,
  {
    /** `from` is the CSV file naming the source (absolute); module paths are looked for beside it first. */
    readonly locate: (source: Exclude<ToolSource, { readonly _tag: "None" }>, from: string) => Effect.Effect<LocatedTools, ToolSourceError>
  }
>() {}

