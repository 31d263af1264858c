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

/** Every error says something: an empty message falls back to its cause, then to its kind. */
export const messageOf = (e: CommandError): string => {
  if (typeof e.message === "string" && e.message.trim() !== "") return e.message
  const cause = (e as { readonly cause?: unknown }).cause
  if (cause instanceof Error && cause.message.trim() !== "") return cause.message
  return `${e._tag.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()} (no further detail; AGENTMAP_DEBUG=1 shows the stack)`
}

/** Prints an error the way the mode asks and returns the exit code it maps to. */
export const reportError = (mode: OutputMode, e: CommandError): number => {
  if (mode.json) {
    printJson(mode, {
      error: e._tag,
      message: messageOf(e),
      ...(e.diagnostics !== undefined && e.diagnostics.length > 0 ? { diagnostics: e.diagnostics.map(toJson) } : {})
    })
  } else {
    if (e.diagnostics !== undefined) printDiagnostics(e.diagnostics)
    process.stderr.write(`error: ${messageOf(e)}\n`)
  }
  return exitCodeFor(e._tag)
}
