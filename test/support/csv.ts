import { parseWorkflowCsv } from "../../src/adapters/csv/CsvParser.js"
import { validateRows } from "../../src/domain/Validation.js"

/** Parses and validates CSV text as a file named `wf.csv`. */
export const validateText = (text: string, file = "wf.csv") => validateRows(parseWorkflowCsv(file, text))

/** Diagnostics as the compiler-style lines users see. */
export const lines = (text: string) =>
  validateText(text).diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity}: ${d.code}`)
