import { createHash } from "node:crypto"
import { type Options, parse } from "csv-parse/sync"
import type { Column } from "../../domain/Columns.js"
import { type Diagnostic, error, warning } from "../../domain/Diagnostic.js"
import { analyzeHeader } from "../../domain/Header.js"
import type { ParsedCsv, WorkflowRow } from "../../domain/WorkflowRow.js"
import { parseContext } from "./ContextParser.js"
import { csvSyntaxDiagnostic } from "./CsvSyntax.js"

interface ParsedRecord {
  readonly record: ReadonlyArray<string>
  /** The line the record ends on (csv-parse counts from 1). */
  readonly lines: number
}

const newlines = (cells: ReadonlyArray<string>) => cells.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0)

/**
 * Reads a workflow CSV with csv-parse: RFC 4180 quoting, trimmed cells, blank lines skipped,
 * rows whose first cell starts with `#` are comments, short rows padded (and reported).
 */
export const parseWorkflowCsv = (file: string, text: string): ParsedCsv => {
  const hash = createHash("sha256").update(text).digest("hex")
  // csv-parse counts a CRLF inside a quoted cell as two lines, which would shift every later row
  const source = text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text
  let records: ReadonlyArray<ParsedRecord>
  // kept for a syntax error, which loses the records read so far
  const progress: { header: ReadonlyArray<string> | undefined; lastRecordLine: number } = { header: undefined, lastRecordLine: 0 }
  try {
    const options = {
      bom: true,
      // cheaper than `info: true`, which copies a whole info object per record
      on_record: (record: Array<string>, context: { lines: number }) => {
        progress.lastRecordLine = context.lines
        if (progress.header === undefined && !(record[0] ?? "").startsWith("#")) progress.header = record
        return { record, lines: context.lines }
      },
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      comment: "#",
      comment_no_infix: true,
      trim: true
    }
    // csv-parse's typings do not allow on_record to return a non-array; at run time it may
    records = parse(source, options as unknown as Options) as unknown as ReadonlyArray<ParsedRecord>
  } catch (e) {
    return { file, text, hash, rows: [], headerColumns: {}, diagnostics: [csvSyntaxDiagnostic(file, source, e, progress)] }
  }
  const diagnostics: Array<Diagnostic> = []
  const data = records.filter((r) => !(r.record[0] ?? "").startsWith("#"))
  const header = data[0]
  if (header === undefined)
    return { file, text, hash, rows: [], headerColumns: {}, diagnostics: [error({ file, line: 1, column: 1 }, "empty-file", "the file is empty: it needs a header row and one row per node")] }
  const layout = analyzeHeader(file, header.record)
  diagnostics.push(...layout.diagnostics)
  const rows: Array<WorkflowRow> = []
  const fields = [...layout.fields].sort(([a], [b]) => a - b)
  for (const r of data.slice(1)) {
    const line = r.lines - newlines(r.record)
    if (r.record.length !== header.record.length) {
      const shorter = r.record.length < header.record.length
      diagnostics.push(
        warning(
          { file, line, column: Math.min(r.record.length, header.record.length) + 1 },
          shorter ? "short-row" : "long-row",
          shorter
            ? `row has ${r.record.length} fields but the header has ${header.record.length}; the missing cells are empty`
            : `row has ${r.record.length} fields but the header has ${header.record.length}; the extra cells are ignored`
        )
      )
    }
    const values: Partial<Record<Column, string>> = {}
    for (const [index, column] of fields) values[column] = (r.record[index] ?? "").trim()
    const context = parseContext(values.Context ?? "")
    if (context.problem !== undefined)
      diagnostics.push(warning({ file, line, column: layout.positions.Context ?? 1 }, "context-text", context.problem))
    rows.push({ file, line, values, columns: layout.positions, context: context.value })
  }
  return { file, text, hash, rows, diagnostics, headerColumns: layout.positions }
}
