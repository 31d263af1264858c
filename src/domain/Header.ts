import { type Column, Columns, allHeaderNames, matchHeader } from "./Columns.js"
import { type Diagnostic, error, warning } from "./Diagnostic.js"
import { didYouMean } from "./Suggest.js"

export interface HeaderLayout {
  /** Field index (0-based) → the canonical column it feeds. */
  readonly fields: ReadonlyMap<number, Column>
  /** Canonical column → its 1-based field position. */
  readonly positions: Partial<Record<Column, number>>
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

/**
 * Maps header names to canonical columns. Unknown columns are warnings (ignored); when several
 * headers alias one column, the earliest in the alias table wins and the others are warnings.
 */
export const analyzeHeader = (file: string, headers: ReadonlyArray<string>): HeaderLayout => {
  const diagnostics: Array<Diagnostic> = []
  const best = new Map<Column, { index: number; rank: number; header: string }>()
  headers.forEach((raw, index) => {
    const header = raw.trim()
    const at = { file, line: 1, column: index + 1 }
    if (header === "") {
      diagnostics.push(warning(at, "unknown-column", `column ${index + 1} has no header name; its cells are ignored`))
      return
    }
    const match = matchHeader(header)
    if (match === undefined) {
      diagnostics.push(
        warning(at, "unknown-column", `unknown column '${header}' is ignored${didYouMean(header, allHeaderNames)}`)
      )
      return
    }
    const current = best.get(match.column)
    if (current === undefined || match.rank < current.rank) best.set(match.column, { index, rank: match.rank, header })
  })
  headers.forEach((raw, index) => {
    const match = matchHeader(raw)
    if (match === undefined) return
    const winner = best.get(match.column)!
    if (winner.index !== index)
      diagnostics.push(
        warning(
          { file, line: 1, column: index + 1 },
          "duplicate-column",
          `column '${raw.trim()}' is another name for ${match.column}, which '${winner.header}' (column ${winner.index + 1}) already provides; '${raw.trim()}' is ignored`
        )
      )
  })
  const fields = new Map<number, Column>()
  const positions: Partial<Record<Column, number>> = {}
  for (const [column, { index }] of best) {
    fields.set(index, column)
    positions[column] = index + 1
  }
  for (const c of Columns) {
    if (c.required && positions[c.name] === undefined)
      diagnostics.push(
        error(
          { file, line: 1, column: 1 },
          "missing-column",
          `required column ${c.name} is missing from the header (accepted names: ${[c.name, ...c.aliases].join(", ")})`
        )
      )
  }
  return { fields, positions, diagnostics }
}
