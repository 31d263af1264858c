import { type Diagnostic, format, toJson } from "../../domain/Diagnostic.js"
import { exitCodeFor } from "./ExitCodes.js"

/** How a command prints: one JSON document on stdout, or text for people. */
export interface OutputMode {
  readonly json: boolean
  readonly indent: boolean
}

export const printJson = (mode: OutputMode, value: unknown) => {
  process.stdout.write(`${JSON.stringify(value, null, mode.indent ? 2 : undefined)}\n`)
}

export const printDiagnostics = (diagnostics: ReadonlyArray<Diagnostic>, stream: NodeJS.WriteStream = process.stderr) => {
  for (const d of diagnostics) stream.write(`${format(d)}\n`)
}

export interface CommandError {
  readonly _tag: string
  readonly message: string
  readonly diagnostics?: ReadonlyArray<Diagnostic>
}

/** Prints an error the way the mode asks and returns the exit code it maps to. */
export const reportError = (mode: OutputMode, e: CommandError): number => {
  if (mode.json) {
    printJson(mode, {
      error: e._tag,
      message: e.message,
      ...(e.diagnostics !== undefined && e.diagnostics.length > 0 ? { diagnostics: e.diagnostics.map(toJson) } : {})
    })
  } else {
    if (e.diagnostics !== undefined) printDiagnostics(e.diagnostics)
    process.stderr.write(`error: ${e.message}\n`)
  }
  return exitCodeFor(e._tag)
}
