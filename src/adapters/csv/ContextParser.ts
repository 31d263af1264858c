import { parse as parseYaml } from "yaml"
import type { JsonObject } from "../../domain/Json.js"
import { isJsonObject } from "../../domain/Json.js"

/** Python literals that YAML would read as strings: `None` is null (True/False are YAML booleans already). */
const pythonNull = {
  tag: "tag:yaml.org,2002:null",
  default: true,
  test: /^(?:~|null|Null|NULL|None)$/,
  resolve: () => null
}

/** `{workflow=::Inner}` / `{a=1, b=x}`: the graph agent's key=value form. */
const parseKeyEquals = (text: string): JsonObject | undefined => {
  const m = /^\{\s*([\s\S]*?)\s*\}$/.exec(text)
  if (m === null || !/^\w+\s*=/.test(m[1]!)) return undefined
  const result: Record<string, string> = {}
  for (const part of m[1]!.split(",")) {
    const eq = part.indexOf("=")
    if (eq <= 0) return undefined
    result[part.slice(0, eq).trim()] = part.slice(eq + 1).trim().replace(/^(["'])(.*)\1$/, "$2")
  }
  return result
}

const tryJson = (text: string): JsonObject | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    return isJsonObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

const tryFlowMapping = (text: string): JsonObject | undefined => {
  try {
    const value: unknown = parseYaml(text, { customTags: [pythonNull], strict: false, uniqueKeys: false })
    return isJsonObject(value) ? (JSON.parse(JSON.stringify(value)) as JsonObject) : undefined
  } catch {
    return undefined
  }
}

export interface ParsedContext {
  readonly value: JsonObject
  /** Set when the text looked like a mapping but could not be read as one. */
  readonly problem: string | undefined
}

/**
 * Context cells: a JSON object; a Python-style dict literal (`{'k': 'v', 'b': True, 'n': None}`);
 * a YAML flow mapping with bare keys (`{llm_provider: "anthropic"}`); the graph agent's
 * `{workflow=::Inner}`; or any other text, kept as `{ context: text }`.
 */
export const parseContext = (text: string): ParsedContext => {
  const trimmed = text.trim()
  if (trimmed === "") return { value: {}, problem: undefined }
  if (!trimmed.startsWith("{")) return { value: { context: trimmed }, problem: undefined }
  const parsed = tryJson(trimmed) ?? parseKeyEquals(trimmed) ?? tryFlowMapping(trimmed)
  if (parsed !== undefined) return { value: parsed, problem: undefined }
  return {
    value: { context: trimmed },
    problem: "Context starts with '{' but is neither JSON nor a dict literal; it is kept as plain text"
  }
}
