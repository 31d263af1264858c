import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from "yaml"
import { type Diagnostic, error, warning } from "../../domain/Diagnostic.js"
import { didYouMean } from "../../domain/Suggest.js"
import type { Spec } from "./ConfigSpec.js"

export interface CheckContext {
  readonly file: string
  readonly lines: LineCounter
  readonly env: Readonly<Record<string, string | undefined>>
  readonly diagnostics: Array<Diagnostic>
}

const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::([\s\S]*))?$/

const describe = (spec: Spec): string => {
  switch (spec.kind) {
    case "string":
      return "a string"
    case "int":
      return spec.min === undefined ? "an integer" : `an integer >= ${spec.min}`
    case "number":
      return "a number"
    case "bool":
      return "true or false"
    case "enum":
      return `one of ${spec.values.join(", ")}`
    case "list":
      return "a list"
    case "object":
      return "a mapping"
    case "either":
      return spec.options.map(describe).join(" or ")
    case "any":
      return "anything"
  }
}

const shown = (value: unknown) => (typeof value === "string" ? `'${value}'` : JSON.stringify(value))

/**
 * Checks a plain value against a spec. Returns the value (coerced when it came from text, e.g. an
 * environment variable) or an error message; unknown keys are reported through `unknown`.
 */
export const checkValue = (
  value: unknown,
  spec: Spec,
  fromText: boolean,
  unknown: (path: ReadonlyArray<string>, known: ReadonlyArray<string>) => void,
  path: ReadonlyArray<string> = []
): { ok: true; value: unknown } | { ok: false; message: string } => {
  const bad = () => ({ ok: false as const, message: `expected ${describe(spec)}, got ${shown(value)}` })
  switch (spec.kind) {
    case "any":
      return { ok: true, value }
    case "string":
      return typeof value === "string" ? { ok: true, value } : typeof value === "number" || typeof value === "boolean" ? { ok: true, value: String(value) } : bad()
    case "bool": {
      if (typeof value === "boolean") return { ok: true, value }
      if (fromText && typeof value === "string" && /^(true|false|1|0|yes|no)$/i.test(value.trim()))
        return { ok: true, value: /^(true|1|yes)$/i.test(value.trim()) }
      return bad()
    }
    case "int":
    case "number": {
      const n = typeof value === "number" ? value : fromText && typeof value === "string" && value.trim() !== "" ? Number(value) : NaN
      if (!Number.isFinite(n) || (spec.kind === "int" && !Number.isInteger(n))) return bad()
      if (spec.min !== undefined && n < spec.min) return bad()
      if (spec.kind === "number" && spec.max !== undefined && n > spec.max) return bad()
      return { ok: true, value: n }
    }
    case "enum":
      return typeof value === "string" && spec.values.includes(value.trim().toLowerCase())
        ? { ok: true, value: value.trim().toLowerCase() }
        : { ok: false, message: `expected ${describe(spec)}, got ${shown(value)}${typeof value === "string" ? didYouMean(value, spec.values) : ""}` }
    case "list": {
      const items = Array.isArray(value) ? value : fromText && typeof value === "string" ? value.split(",").map((s) => s.trim()).filter((s) => s) : undefined
      if (items === undefined) return bad()
      const out: Array<unknown> = []
      for (const [i, item] of items.entries()) {
        const r = checkValue(item, spec.of, fromText, unknown, [...path, String(i)])
        if (!r.ok) return { ok: false, message: `item ${i + 1}: ${r.message}` }
        out.push(r.value)
      }
      return { ok: true, value: out }
    }
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return bad()
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) {
        const field = spec.fields[key]
        if (field === undefined) {
          if (!spec.open) unknown([...path, key], Object.keys(spec.fields))
          out[key] = item
          continue
        }
        const r = checkValue(item, field, fromText, unknown, [...path, key])
        if (!r.ok) return { ok: false, message: `${key}: ${r.message}` }
        out[key] = r.value
      }
      return { ok: true, value: out }
    }
    case "either": {
      for (const option of spec.options) {
        const r = checkValue(value, option, fromText, () => {}, path)
        if (r.ok) return checkValue(value, option, fromText, unknown, path)
      }
      return bad()
    }
  }
}

/** Walks the YAML syntax tree alongside the spec so every finding carries its line and column. */
export const checkNode = (node: Node | null | undefined, spec: Spec, path: ReadonlyArray<string>, ctx: CheckContext): unknown => {
  const at = (n: Node | null | undefined) => {
    const pos = ctx.lines.linePos(n?.range?.[0] ?? 0)
    return { file: ctx.file, line: pos.line, column: pos.col }
  }
  const dotted = path.join(".")
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return undefined
  if (isScalar(node)) {
    let value: unknown = node.value
    let fromText = false
    if (typeof value === "string") {
      const ref = ENV_REF.exec(value.trim())
      if (ref !== null) {
        const env = ctx.env[ref[1]!]
        if (env === undefined && ref[2] === undefined) {
          ctx.diagnostics.push(warning(at(node), "env-unset", `${dotted}: environment variable ${ref[1]} is not set and has no default; the key is left unset`))
          return undefined
        }
        value = env ?? ref[2]
        fromText = true
      }
    }
    const r = checkValue(value, spec, fromText, () => {})
    if (!r.ok) {
      ctx.diagnostics.push(error(at(node), "config-type", `${dotted}: ${r.message}`))
      return undefined
    }
    return r.value
  }
  if (spec.kind === "either") {
    const option = spec.options.find((o) => (isMap(node) ? o.kind === "object" : isSeq(node) ? o.kind === "list" : false))
    if (option !== undefined) return checkNode(node, option, path, ctx)
  }
  if (spec.kind === "any") return node.toJSON()
  if (isMap(node)) {
    if (spec.kind !== "object") {
      ctx.diagnostics.push(error(at(node), "config-type", `${dotted}: expected ${describe(spec)}, got a mapping`))
      return undefined
    }
    const out: Record<string, unknown> = {}
    for (const pair of node.items as Array<Pair<Node, Node>>) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      const field = spec.fields[key]
      if (field === undefined) {
        if (!spec.open)
          ctx.diagnostics.push(
            warning(at(pair.key), "config-unknown-key", `unknown key '${[...path, key].join(".")}' is ignored${didYouMean(key, Object.keys(spec.fields))}`)
          )
        out[key] = pair.value === null ? null : (pair.value as Node).toJSON()
        continue
      }
      const value = checkNode(pair.value, field, [...path, key], ctx)
      if (value !== undefined) out[key] = value
    }
    return out
  }
  if (isSeq(node)) {
    if (spec.kind !== "list") {
      ctx.diagnostics.push(error(at(node), "config-type", `${dotted}: expected ${describe(spec)}, got a list`))
      return undefined
    }
    return node.items.map((item, i) => checkNode(item as Node, spec.of, [...path, String(i)], ctx)).filter((v) => v !== undefined)
  }
  return undefined
}
