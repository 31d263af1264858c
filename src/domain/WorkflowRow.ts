import type { Column } from "./Columns.js"
import type { Diagnostic } from "./Diagnostic.js"
import type { JsonObject } from "./Json.js"

/** One data row of a workflow CSV, with the line it starts on (header = line 1). */
export interface WorkflowRow {
  readonly file: string
  readonly line: number
  /** Trimmed cell text by column; columns the file lacks are absent. */
  readonly values: Partial<Record<Column, string>>
  /** 1-based field position of each column (one object shared by every row of a file). */
  readonly columns: Partial<Record<Column, number>>
  /** The Context cell, already parsed (JSON, Python-style dict, YAML flow mapping, or `{ context: text }`). */
  readonly context: JsonObject
}

/** What reading a CSV file produced: the rows, and what was wrong with the file as a table. */
export interface ParsedCsv {
  readonly file: string
  /** The text the rows were read from (kept in thread snapshots). */
  readonly text: string
  /** sha256 of the text, hex. */
  readonly hash: string
  readonly rows: ReadonlyArray<WorkflowRow>
  readonly diagnostics: ReadonlyArray<Diagnostic>
  /** Columns the header provides, with their field positions (for diagnostics about missing ones). */
  readonly headerColumns: Partial<Record<Column, number>>
}

export const cellValue = (row: WorkflowRow, column: Column): string => row.values[column] ?? ""

export const cellColumn = (row: WorkflowRow, column: Column): number => row.columns[column] ?? 1
