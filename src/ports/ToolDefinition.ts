/**
 * What a tool module exports: `defineTool({ name, description, schema, run })` (from the
 * `agentmap` package), or LangChain JS tools (`tool()` from `@langchain/core/tools`), recognised
 * by their shape. `schema` is a zod schema (or any Standard Schema) or a JSON Schema object.
 */

/** The Standard Schema interface zod, valibot and arktype implement; only its shape is used here. */
export interface StandardSchemaLike<Output = unknown> {
  readonly "~standard": {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => unknown
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined
  }
}

/** A JSON Schema for a tool's arguments: an object with named properties. */
export interface JsonSchemaObject {
  readonly type: "object"
  readonly properties?: { readonly [name: string]: { readonly [key: string]: unknown } }
  readonly required?: ReadonlyArray<string>
  readonly [key: string]: unknown
}

/** The arguments `run` receives: the schema's output type (zod), or a record (JSON Schema). */
export type ToolArgs<S> = S extends { readonly "~standard": { readonly types?: infer T } } ? (NonNullable<T> extends { readonly output: infer O } ? O : Record<string, unknown>) : Record<string, unknown>

/** What a running tool may use besides its arguments. */
export interface ToolContext {
  /** Fires when the run is cancelled or times out: stop work and return. */
  readonly signal: AbortSignal
}

export interface ToolDefinition<S extends StandardSchemaLike | JsonSchemaObject = StandardSchemaLike | JsonSchemaObject, R = unknown> {
  readonly name: string
  readonly description: string
  readonly schema: S
  /** The tool's work: its result (JSON-serialisable) or a Promise of it; a throw is a failed call. */
  readonly run: (args: ToolArgs<S>, context: ToolContext) => R | Promise<R>
}

/**
 * A tool for `Tool_Source` modules and tool-calling LLM nodes. Only adds types: a plain object of
 * the same shape works the same.
 *
 * ```ts
 * export const add = defineTool({
 *   name: "add",
 *   description: "Add two numbers",
 *   schema: z.object({ a: z.number(), b: z.number() }),
 *   run: ({ a, b }) => a + b
 * })
 * ```
 */
export const defineTool = <S extends StandardSchemaLike | JsonSchemaObject, R>(tool: ToolDefinition<S, R>): ToolDefinition<S, R> => tool
