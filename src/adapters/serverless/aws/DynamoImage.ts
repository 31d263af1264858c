import type { Json, JsonObject } from "../../../domain/Json.js"

/**
 * DynamoDB's typed attribute values (`{ "S": "x" }`, `{ "N": "1" }`, `{ "M": {...} }`, ...) as
 * plain JSON, the way @aws-sdk/util-dynamodb's `unmarshall` reads them (numbers become numbers
 * when that loses nothing, otherwise stay strings; binary stays base64; sets become arrays).
 */
export const unmarshallValue = (value: unknown): Json => {
  if (typeof value !== "object" || value === null) throw new Error(`not a DynamoDB attribute value: ${JSON.stringify(value)}`)
  const [type, inner] = Object.entries(value as Record<string, unknown>)[0] ?? []
  switch (type) {
    case "S":
    case "B":
      return String(inner)
    case "N":
      return number(String(inner))
    case "BOOL":
      return inner === true
    case "NULL":
      return null
    case "SS":
    case "BS":
      return (inner as ReadonlyArray<unknown>).map(String)
    case "NS":
      return (inner as ReadonlyArray<unknown>).map((n) => number(String(n)))
    case "L":
      return (inner as ReadonlyArray<unknown>).map(unmarshallValue)
    case "M":
      return unmarshall(inner)
    default:
      throw new Error(`unknown DynamoDB attribute type '${String(type)}'`)
  }
}

const number = (text: string): Json => {
  const n = Number(text)
  return Number.isFinite(n) && (Number.isSafeInteger(n) || !/^-?\d+$/.test(text)) ? n : text
}

/** An item image (`NewImage`, `OldImage`, `Keys`) as a JSON object. */
export const unmarshall = (image: unknown): JsonObject => {
  if (typeof image !== "object" || image === null || Array.isArray(image)) throw new Error("a DynamoDB image must be a map of attribute values")
  return Object.fromEntries(Object.entries(image as Record<string, unknown>).map(([k, v]) => [k, unmarshallValue(v)]))
}
