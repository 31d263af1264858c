import { Effect } from "effect"
import { type Diagnostic, toJson } from "../../../domain/Diagnostic.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import type { ValidationReport } from "../../../application/PlanBuilder.js"
import { WorkflowService } from "../../../application/WorkflowService.js"
import { runWithApp } from "../CommandRuntime.js"
import { ExitCode, exitCodeFor } from "../ExitCodes.js"
import { type OutputMode, printDiagnostics, printJson } from "../Output.js"
import { command, text } from "../Spec.js"
import { jsonOption, prettyOption } from "./SharedOptions.js"

/** A file that could not be validated at all (not found, outside the repository). */
interface Unreadable {
  readonly file: string
  readonly error: string
  readonly message: string
}

type Outcome = ValidationReport | Unreadable

const isReport = (o: Outcome): o is ValidationReport => "valid" in o

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

const reportJson = (r: ValidationReport) => ({ valid: r.valid, file: r.file, graphs: r.graphs, diagnostics: r.diagnostics.map(toJson) })

const printOutcomes = (mode: OutputMode, outcomes: ReadonlyArray<Outcome>) => {
  const reports = outcomes.filter(isReport)
  const valid = reports.length === outcomes.length && reports.every((r) => r.valid)
  if (mode.json) {
    const files = outcomes.map((o) => (isReport(o) ? reportJson(o) : { valid: false, file: o.file, error: o.error, message: o.message, diagnostics: [] }))
    const diagnostics = reports.flatMap((r) => r.diagnostics.map(toJson))
    // one file: the document as before (valid, file, graphs, diagnostics); several: each under files
    printJson(mode, outcomes.length === 1 ? { ...files[0], files } : { valid, diagnostics, files })
    return
  }
  for (const o of outcomes) {
    if (!isReport(o)) {
      process.stdout.write(`✘ ${o.file}: ${o.message}\n`)
      continue
    }
    printDiagnostics(o.diagnostics, process.stdout)
    const errors = o.diagnostics.filter((d: Diagnostic) => d.severity === "error").length
    const warnings = o.diagnostics.length - errors
    process.stdout.write(
      o.valid
        ? `✔ ${o.file} is valid (${plural(o.graphs.length, "graph")}: ${o.graphs.join(", ")}${warnings > 0 ? `; ${plural(warnings, "warning")}` : ""})\n`
        : `✘ ${o.file}: ${plural(errors, "error")}, ${plural(warnings, "warning")}\n`
    )
  }
  if (outcomes.length > 1) process.stdout.write(`${reports.filter((r) => r.valid).length} of ${plural(outcomes.length, "file")} valid\n`)
}

/** Exit code over several files: any invalid file is 2; otherwise any file not found is 3. */
const exitFor = (outcomes: ReadonlyArray<Outcome>) => {
  const codes = outcomes.map((o) => (isReport(o) ? (o.valid ? ExitCode.Ok : ExitCode.UserError) : exitCodeFor(o.error)))
  return codes.includes(ExitCode.UserError) ? ExitCode.UserError : Math.max(ExitCode.Ok, ...codes)
}

export const validateCommand = command({
  name: "validate",
  summary: "Check workflow CSVs and report every problem as FILE:LINE:COL: severity: message",
  details: [
    "Applies exactly the rules `agentmap run` applies before it starts a run: a file that validate calls valid is never refused by run for a validation reason. Several files may be given (the shell expands workflows/*.csv); each is reported."
  ],
  args: [{ name: "FILE", description: "a CSV file, or a workflow of the repository (name, name::Graph)", variadic: true }],
  options: {
    csv: text({ placeholder: "FILE", description: "a CSV file (the same as FILE; further files may follow)" }),
    graph: text({ short: "g", placeholder: "GRAPH", description: "validate only this graph", default: "every graph of the file" }),
    json: jsonOption,
    pretty: prettyOption
  },
  examples: ["agentmap validate workflows/*.csv", "agentmap validate --csv flow.csv --json", "agentmap validate sales::Qualify"],
  exitCodes: "0 no errors (warnings allowed), 2 a file has errors, 3 a file or graph not found",
  run: ({ options: o, args, globals }) => {
    const mode: OutputMode = { json: o.json, indent: o.pretty }
    const files = [...(o.csv !== undefined ? [o.csv] : []), ...args]
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        const service = yield* WorkflowService
        if (files.length === 0) return yield* Effect.fail(new InvalidRequest({ message: "missing FILE: give one or more CSV files, e.g. agentmap validate workflows/*.csv" }))
        const graph = o.graph !== undefined ? { graph: o.graph } : {}
        // one file: its failure (not found, bad address) is the command's error, as for run
        if (files.length === 1) {
          const report = yield* service.validate({ workflow: files[0]!, ...graph })
          printOutcomes(mode, [report])
          return report.valid ? ExitCode.Ok : ExitCode.UserError
        }
        const outcomes = yield* Effect.forEach(files, (file) =>
          service.validate({ workflow: file, ...graph }).pipe(Effect.catchAll((e) => Effect.succeed<Outcome>({ file, error: e._tag, message: e.message })))
        )
        printOutcomes(mode, outcomes)
        return exitFor(outcomes)
      })
    )
  }
})
