import { Schema } from "effect"

export const Severity = Schema.Literal("error", "warning")
export type Severity = typeof Severity.Type

/** One finding about a workflow or config file, positioned the way compilers do it. */
export class Diagnostic extends Schema.Class<Diagnostic>("Diagnostic")({
  file: Schema.String,
  line: Schema.Number,
  column: Schema.Number,
  severity: Severity,
  code: Schema.String,
  message: Schema.String
}) {}

export interface At {
  readonly file: string
  readonly line: number
  readonly column: number
}

export const error = (at: At, code: string, message: string): Diagnostic =>
  new Diagnostic({ ...at, severity: "error", code, message })

export const warning = (at: At, code: string, message: string): Diagnostic =>
  new Diagnostic({ ...at, severity: "warning", code, message })

/** `FILE:LINE:COL: error|warning: message` — the convention editors understand. */
export const format = (d: Diagnostic): string => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`

export const hasErrors = (ds: ReadonlyArray<Diagnostic>): boolean => ds.some((d) => d.severity === "error")

export const sortByPosition = (ds: ReadonlyArray<Diagnostic>): ReadonlyArray<Diagnostic> =>
  [...ds].sort((a, b) =>
    a.file === b.file ? (a.line === b.line ? a.column - b.column : a.line - b.line) : a.file < b.file ? -1 : 1)

/** The JSON shape `validate --json` prints and HTTP 422 bodies carry. */
export const toJson = (d: Diagnostic) => ({
  file: d.file,
  line: d.line,
  column: d.column,
  severity: d.severity,
  code: d.code,
  message: d.message
})

/** Drops repeats (a file-level finding reached through a parent and its subgraph), keeping the first. */
export const uniqueDiagnostics = (ds: ReadonlyArray<Diagnostic>): ReadonlyArray<Diagnostic> => {
  const seen = new Set<string>()
  return ds.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.severity}:${d.code}:${d.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
