import { toJsonSchema } from "@langchain/core/utils/json_schema"
import { Effect } from "effect"
import { isJsonObject, type JsonObject } from "../../domain/Json.js"
import { type RunnableTool, ToolCallError } from "../../ports/Tools.js"
import type { StandardSchemaLike } from "../../ports/ToolDefinition.js"
import { argumentChecker, isStandardSchema } from "./ArgumentCheck.js"
import { asJson } from "./ToolResult.js"

type Invoke = (args: unknown, options: { readonly signal: AbortSignal }) => unknown

interface Shape {
  readonly name: string
  readonly description: string
  readonly schema: StandardSchemaLike | JsonObject
  readonly invoke: Invoke
  /** LangChain tools check their own arguments again and want them as given. */
  readonly passRaw: boolean
}

const record = (v: unknown): Readonly<Record<string, unknown>> | undefined => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined)

/** `defineTool({ name, description, schema, run })` or a LangChain tool (`name`, `description`, `schema`, `invoke`), by shape. */
const shapeOf = (value: unknown): Shape | undefined => {
  const v = record(value)
  if (v === undefined || typeof v["name"] !== "string" || v["name"] === "") return undefined
  const schema = v["schema"] ?? { type: "object", properties: {} }
  if (!isStandardSchema(schema) && !isJsonObject(schema)) return undefined
  const description = typeof v["description"] === "string" ? v["description"] : ""
  if (typeof v["run"] === "function") {
    const run = v["run"] as (args: unknown, context: { readonly signal: AbortSignal }) => unknown
    return { name: v["name"], description, schema, invoke: (args, options) => run.call(v, args, options), passRaw: false }
  }
  if (typeof v["invoke"] === "function" && "schema" in v) {
    const invoke = v["invoke"] as Invoke
    return { name: v["name"], description, schema, invoke: (args, options) => invoke.call(v, args, options), passRaw: true }
  }
  return undefined
}

/** The JSON Schema a model is shown for the tool's arguments (zod v3/v4 and Standard JSON Schema through LangChain's converter). */
const parametersOf = (schema: StandardSchemaLike | JsonObject): JsonObject => {
  let json: unknown = schema
  if (isStandardSchema(schema))
    try {
      json = toJsonSchema(schema as unknown as Parameters<typeof toJsonSchema>[0])
    } catch {
      json = { type: "object" }
    }
  const { $schema: _ignored, ...rest } = (isJsonObject(json) ? json : { type: "object" }) as JsonObject
  return rest
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e))

export const runnable = (shape: Shape): RunnableTool => {
  const check = argumentChecker(shape.name, shape.schema)
  return {
    name: shape.name,
    description: shape.description,
    parameters: parametersOf(shape.schema),
    call: (args, signal) =>
      check(args).pipe(
        Effect.flatMap((checked) =>
          Effect.tryPromise({
            try: async () => shape.invoke(shape.passRaw ? args : checked, { signal }),
            catch: (e) => new ToolCallError({ tool: shape.name, message: `tool '${shape.name}' failed: ${messageOf(e)}` })
          })
        ),
        Effect.map(asJson)
      )
  }
}

/**
 * The tools a module exports: every export that is a tool, or an array of tools (the default
 * export included), by tool name. Undefined when it exports none.
 */
export const toolsIn = (namespace: Readonly<Record<string, unknown>>): ReadonlyArray<RunnableTool> => {
  const found = new Map<string, RunnableTool>()
  for (const value of Object.values(namespace))
    for (const candidate of Array.isArray(value) ? value : [value]) {
      const shape = shapeOf(candidate)
      if (shape !== undefined && !found.has(shape.name)) found.set(shape.name, runnable(shape))
    }
  return [...found.values()]
}
