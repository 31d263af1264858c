import { type Diagnostic, error } from "../../domain/Diagnostic.js"

/** How far csv-parse got before it stopped: the header it read and the line its last whole record ended on. */
export interface ParseProgress {
  readonly header: ReadonlyArray<string> | undefined
  readonly lastRecordLine: number
}

/** The fields csv-parse's CsvError carries (it copies its parser's position onto the error). */
interface CsvParseError {
  readonly message?: string
  readonly code?: string
  /** The line the parser was on when it stopped. */
  readonly lines?: number
  /** 0-based index, in its record, of the field being read. */
  readonly column?: number | string | null
}

const FIX = `check for a missing closing " or a stray " inside the cell (write "" for a literal quote)`

/**
 * The line the failing record starts on: the first line after the last whole record that
 * csv-parse does not skip (blank, only separators, or a `#` comment).
 */
const recordStart = (text: string, lastRecordLine: number): number => {
  const lines = text.split("\n")
  for (let i = lastRecordLine; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (!/^[\s,]*$/.test(line) && !line.startsWith("#")) return i + 1
  }
  return lastRecordLine + 1
}

/** `field 5 (Prompt)`: the 1-based position, with the header's name for it when there is one. */
const fieldLabel = (column: number, header: ReadonlyArray<string> | undefined) => {
  const name = header?.[column - 1]
  return name === undefined || name === "" ? `field ${column}` : `field ${column} (${name})`
}

/**
 * A csv-parse failure as a diagnostic at the place to fix: for quoting errors, the line where
 * the quoted cell opens (csv-parse itself only knows where it gave up, often the end of the file).
 * `text` must have `\n` line ends, as the parser read it.
 */
export const csvSyntaxDiagnostic = (file: string, text: string, cause: unknown, progress: ParseProgress): Diagnostic => {
  const e = (typeof cause === "object" && cause !== null ? cause : { message: String(cause) }) as CsvParseError
  const stoppedAt = typeof e.lines === "number" && e.lines > 0 ? e.lines : 1
  const column = typeof e.column === "number" ? e.column + 1 : 1
  const field = fieldLabel(column, progress.header)
  const opened = () => Math.min(recordStart(text, progress.lastRecordLine), stoppedAt)
  const at = (line: number) => ({ file, line, column })
  switch (e.code) {
    case "CSV_QUOTE_NOT_CLOSED": {
      const line = opened()
      return error(at(line), "csv-syntax", `a quote opened in ${field} on line ${line} is never closed; ${FIX}`)
    }
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE": {
      const line = opened()
      const next = /got "(.+?)"/.exec(e.message ?? "")?.[1]
      const after = next === undefined ? "other text" : `'${next}'`
      return line === stoppedAt
        ? error(at(line), "csv-syntax", `the quoted cell in ${field} on line ${line} has a " followed by ${after} before the cell ends; write "" for a literal quote inside a quoted cell`)
        : error(
            at(line),
            "csv-syntax",
            `the quoted cell in ${field} that opens on line ${line} ends at a " on line ${stoppedAt} followed by ${after}; ${FIX}`
          )
    }
    case "INVALID_OPENING_QUOTE":
      return error(
        at(stoppedAt),
        "csv-syntax",
        `${field} on line ${stoppedAt} has a " inside a cell that does not start with one; quote the whole cell and write "" for each literal quote (e.g. "say ""hi""")`
      )
    default: {
      const message = (e.message ?? String(cause)).replace(/^Invalid [^:]*:\s*/, "")
      return error(at(stoppedAt), "csv-syntax", `the file is not valid CSV: ${message}`)
    }
  }
}
