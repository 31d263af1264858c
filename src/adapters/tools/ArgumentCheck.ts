import { Effect } from "effect"
import { z } from "zod"
import type { JsonObject } from "../../domain/Json.js"
import { ToolCallError } from "../../ports/Tools.js"
import type { StandardSchemaLike } from "../../ports/ToolDefinition.js"

interface Issue {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
}
type Outcome = { readonly value: unknown; readonly issues?: undefined } | { readonly issues: ReadonlyArray<Issue> }

export const isStandardSchema = (v: unknown): v is StandardSchemaLike =>
  typeof v === "object" && v !== null && typeof (v as { "~standard"?: { validate?: unknown } })["~standard"]?.validate === "function"

const keyOf = (p: PropertyKey | { readonly key: PropertyKey }) => String(typeof p === "object" ? p.key : p)

/** The first issue as a sentence naming the argument (`argument 'b': expected number, received undefined`). */
const refusal = (tool: string, issues: ReadonlyArray<Issue>, args: Readonly<Record<string, unknown>>): ToolCallError => {
  const first = issues[0]
  const path = (first?.path ?? []).map(keyOf)
  const argument = path[0]
  const missing = argument !== undefined && args[argument] === undefined
  const what = first === undefined ? "invalid arguments" : missing ? "is missing" : first.message.replace(/^Invalid input: /, "")
  return new ToolCallError({
    tool,
    ...(argument !== undefined ? { argument } : {}),
    message: argument !== undefined ? `tool '${tool}': argument '${path.join(".")}' ${missing ? what : `is invalid: ${what}`}` : `tool '${tool}': ${what}`
  })
}

/** A validator for a JSON Schema (compiled once through zod), or one that accepts everything when zod cannot read it. */
const fromJsonSchema = (schema: JsonObject): ((value: unknown) => Outcome) => {
  try {
    const compiled = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0])
    return (value) => {
      const r = compiled.safeParse(value)
      return r.success ? { value: r.data } : { issues: r.error.issues.map((i) => ({ message: i.message, path: i.path })) }
    }
  } catch {
    return (value) => ({ value })
  }
}

/**
 * Checks a tool's arguments against its schema: a Standard Schema (zod) or a JSON Schema. The
 * checked (and, for zod, transformed) arguments come back; a refusal names the first argument at fault.
 */
export const argumentChecker = (tool: string, schema: StandardSchemaLike | JsonObject) => {
  const validate: (value: unknown) => Outcome | Promise<Outcome> = isStandardSchema(schema)
    ? (value) => schema["~standard"].validate(value) as Outcome | Promise<Outcome>
    : fromJsonSchema(schema)
  return (args: Readonly<Record<string, unknown>>): Effect.Effect<unknown, ToolCallError> =>
    Effect.tryPromise({
      try: async () => validate(args),
      catch: (e) => new ToolCallError({ tool, message: `tool '${tool}': its schema failed: ${e instanceof Error ? e.message : String(e)}` })
    }).pipe(Effect.flatMap((r) => (r.issues !== undefined ? Effect.fail(refusal(tool, r.issues, args)) : Effect.succeed(r.value))))
}
