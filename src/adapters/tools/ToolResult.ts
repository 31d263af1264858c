import type { Json } from "../../domain/Json.js"

/** A tool's result as JSON: undefined is null, dates and class instances as JSON.stringify sees them. */
export const asJson = (value: unknown): Json => {
  if (value === undefined) return null
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value
  if (typeof value === "bigint") return value.toString()
  try {
    const text = JSON.stringify(value)
    return text === undefined ? null : (JSON.parse(text) as Json)
  } catch {
    return String(value)
  }
}
