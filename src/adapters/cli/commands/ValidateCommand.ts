import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { toJson } from "../../../domain/Diagnostic.js"
import { WorkflowService } from "../../../application/WorkflowService.js"
import { runWithApp } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { type OutputMode, printDiagnostics, printJson } from "../Output.js"
import { pickWorkflow } from "./RunCommand.js"
import { configOption, jsonOption, prettyOption } from "./SharedOptions.js"

const file = Args.text({ name: "file" }).pipe(Args.withDescription("a CSV file, or a repository workflow name"), Args.optional)
const csv = Options.text("csv").pipe(Options.withDescription("the CSV file (same as the positional FILE)"), Options.optional)
const graph = Options.text("graph").pipe(Options.withAlias("g"), Options.withDescription("validate only this graph"), Options.optional)

export const validateCommand = Command.make(
  "validate",
  { file, csv, graph, config: configOption, json: jsonOption, pretty: prettyOption },
  (a) => {
    const mode: OutputMode = { json: a.json, indent: a.pretty }
    return runWithApp(
      a.config,
      mode,
      Effect.gen(function* () {
        const service = yield* WorkflowService
        const address = yield* pickWorkflow(a.file, a.csv)
        const report = yield* service.validate({ workflow: address, ...(Option.isSome(a.graph) ? { graph: a.graph.value } : {}) })
        if (mode.json) printJson(mode, { valid: report.valid, file: report.file, graphs: report.graphs, diagnostics: report.diagnostics.map(toJson) })
        else {
          printDiagnostics(report.diagnostics, process.stdout)
          const errors = report.diagnostics.filter((d) => d.severity === "error").length
          const warnings = report.diagnostics.length - errors
          process.stdout.write(
            report.valid
              ? `✔ ${report.file} is valid (${report.graphs.length} graph${report.graphs.length === 1 ? "" : "s"}: ${report.graphs.join(", ")}${warnings > 0 ? `; ${warnings} warning${warnings === 1 ? "" : "s"}` : ""})\n`
              : `✘ ${report.file}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`
          )
        }
        return report.valid ? ExitCode.Ok : ExitCode.UserError
      })
    )
  }
).pipe(Command.withDescription("Check a workflow CSV and report every problem as FILE:LINE:COL: severity: message"))
