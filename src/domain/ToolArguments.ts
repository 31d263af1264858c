import type { JsonObject } from "./Json.js"
import { isJsonObject } from "./Json.js"

/** A tool's parameter names, in the order its JSON Schema lists them. */
export const parameterNames = (schema: JsonObject): ReadonlyArray<string> => (isJsonObject(schema["properties"]) ? Object.keys(schema["properties"]) : [])

const typesOf = (schema: unknown): ReadonlyArray<string> => {
  if (!isJsonObject(schema)) return []
  const t = schema["type"]
  if (typeof t === "string") return [t]
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string")
  const anyOf = schema["anyOf"] ?? schema["oneOf"]
  return Array.isArray(anyOf) ? anyOf.flatMap(typesOf) : []
}

/**
 * A state value made to fit the parameter's declared type where that is unambiguous: numbers and
 * booleans written as text (`"5"`, `"true"`), JSON text for arrays and objects, numbers for text.
 * Anything else is left for the schema to refuse.
 */
export const coerce = (value: unknown, schema: unknown): unknown => {
  const types = typesOf(schema)
  if (types.length === 0 || value === undefined || value === null) return value
  if (typeof value === "string") {
    const trimmed = value.trim()
    if (types.includes("string")) return value
    if ((types.includes("number") || types.includes("integer")) && trimmed !== "" && Number.isFinite(Number(trimmed))) return Number(trimmed)
    if (types.includes("boolean") && /^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === "true"
    if ((types.includes("array") || types.includes("object")) && /^[[{]/.test(trimmed))
      try {
        return JSON.parse(trimmed)
      } catch {
        return value
      }
    return value
  }
  if ((typeof value === "number" || typeof value === "boolean") && types.includes("string") && !types.includes(typeof value)) return String(value)
  return value
}

/**
 * A tool's arguments from a node's inputs (in Input_Fields order): each parameter takes the input of
 * the same name; parameters left over take the inputs left over, in order. A tool that declares no
 * parameters gets the inputs by name. Values are coerced to the declared types (see `coerce`).
 */
export const argumentsFromInputs = (schema: JsonObject, inputs: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> => {
  const params = parameterNames(schema)
  const present = inputs.filter(([, v]) => v !== undefined)
  if (params.length === 0) return Object.fromEntries(present)
  const properties = schema["properties"] as JsonObject
  const args: Record<string, unknown> = {}
  const used = new Set<string>()
  for (const p of params) {
    const named = present.find(([k]) => k === p)
    if (named !== undefined) {
      args[p] = named[1]
      used.add(named[0])
    }
  }
  const rest = present.filter(([k]) => !used.has(k))
  for (const p of params.filter((p) => !(p in args))) {
    const next = rest.shift()
    if (next === undefined) break
    args[p] = next[1]
  }
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, coerce(v, properties[k])]))
}
