import * as path from "node:path"
import { Effect } from "effect"
import { CacheRefresh, type RefreshReport } from "../../../application/CacheRefresh.js"
import { toJson } from "../../../domain/Diagnostic.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import type { CacheOutcome } from "../../../ports/CompileCache.js"
import { runWithApp } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { type OutputMode, printDiagnostics, printJson } from "../Output.js"
import { table } from "../PrettyResult.js"
import { command, flag, text } from "../Spec.js"
import { pickWorkflow, WORKFLOW_ARG } from "./RunCommand.js"
import { jsonOption, prettyOption } from "./SharedOptions.js"

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

const shown = (file: string) => {
  const relative = path.relative(process.cwd(), file)
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file
}

const where = (o: CacheOutcome) =>
  o.problem === undefined ? "" : `${shown(o.problem.file)}${o.problem.line !== undefined ? `:${o.problem.line}:${o.problem.column ?? 1}` : ""}: ${o.problem.message}`

const count = (report: RefreshReport, status: CacheOutcome["status"]) => report.entries.filter((e) => e.status === status).length

/** Errors: a user module that does not compile, or a workflow with errors. */
export const refreshFailed = (report: RefreshReport) => report.entries.some((e) => e.status === "failed") || report.workflows.some((w) => !w.valid)

const printReport = (mode: OutputMode, report: RefreshReport) => {
  const rebuilt = count(report, "rebuilt")
  const current = count(report, "current")
  const failed = count(report, "failed")
  if (mode.json) {
    printJson(mode, {
      ok: !refreshFailed(report),
      scope: report.scope,
      dry_run: report.dryRun,
      rebuilt: report.entries.filter((e) => e.status === "rebuilt").map((e) => e.file),
      current: report.entries.filter((e) => e.status === "current").map((e) => e.file),
      failed: report.entries.filter((e) => e.status === "failed").map((e) => ({ file: e.file, kind: e.kind, ...e.problem })),
      removed: report.removed,
      workflows: report.workflows.map((w) => ({ file: w.file, valid: w.valid, diagnostics: w.diagnostics.map(toJson) })),
      cache: report.stats
    })
    return
  }
  for (const w of report.workflows) printDiagnostics(w.diagnostics, process.stdout)
  if (report.entries.length > 0) {
    const rows = report.entries.map((e) => [e.kind, shown(e.file), report.dryRun && e.status === "rebuilt" ? "would rebuild" : e.status, where(e)])
    process.stdout.write(`${table(["kind", "file", "status", "problem"], rows)}\n`)
  }
  for (const r of report.removed) process.stdout.write(`${report.dryRun ? "would remove" : "removed"} ${shown(r)}\n`)
  const invalid = report.workflows.filter((w) => !w.valid).length
  const verb = report.dryRun ? "would rebuild" : "rebuilt"
  process.stdout.write(
    `${failed + invalid > 0 ? "✘" : "✔"} ${report.scope === "all" ? "repository" : report.scope}: ${verb} ${rebuilt}, ${current} current, ${failed} failed, ` +
      `${report.dryRun ? "would remove" : "removed"} ${plural(report.removed.length, "stale entry").replace("entrys", "entries")}` +
      `${report.workflows.length > 0 ? `; ${plural(report.workflows.length, "workflow")} checked${invalid > 0 ? `, ${invalid} with errors` : ""}` : ""}` +
      ` (cache ${(report.stats.bytes / 1024).toFixed(0)} KiB in ${plural(report.stats.entries, "entry").replace("entrys", "entries")}, max ${(report.stats.maxBytes / 1024 / 1024).toFixed(0)} MiB)${report.dryRun ? "; nothing was written" : ""}\n`
  )
}

export const refreshCommand = command({
  name: "refresh",
  summary: "Rebuild the compile cache (routing functions, custom agents, tools) for a workflow or the whole repository",
  details: [
    "Everything AgentMap derives from user files lives in one content-addressed cache under paths.cache: an entry per module, keyed by the SHA-256 of its bytes and AgentMap's version (entries of another version are never used), written atomically, bounded by cache.max_bytes (least recently used entries are evicted). Runs compile what they need on their own; refresh does it ahead of time and reports problems.",
    "With WORKFLOW (or --csv): validates the file and its subgraphs and rebuilds the entries of the routing functions, custom agents and tools they use. With --all: every module in paths.functions, paths.custom_agents, paths.custom_tools and paths.host_services, and every CSV of the repository is validated. Either way it reports what it rebuilt, what was already current and what failed (FILE:LINE:COL: message), and removes the entries nothing refers to any more (stale content, deleted files, another AgentMap version).",
    "update-bundle is accepted as another name for refresh (the Python AgentMap's command)."
  ],
  args: [WORKFLOW_ARG],
  options: {
    csv: text({ placeholder: "FILE", description: "the CSV file (the same as WORKFLOW)" }),
    all: flag({ description: "the whole repository instead of one workflow" }),
    dryRun: flag({ description: "report what would be rebuilt and removed; the cache is not written and nothing is removed" }),
    json: jsonOption,
    pretty: prettyOption
  },
  examples: ["agentmap refresh --all", "agentmap refresh workflows/branching.csv", "agentmap refresh --all --dry-run --json"],
  exitCodes: "0 everything current or rebuilt, 2 a module does not compile or a workflow has errors (or bad flags), 3 workflow not found",
  run: ({ options: o, args, globals }) => {
    const mode: OutputMode = { json: o.json, indent: o.pretty }
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        const given = args[0] !== undefined || o.csv !== undefined
        if (given && o.all) return yield* Effect.fail(new InvalidRequest({ message: "give WORKFLOW (or --csv) or --all, not both" }))
        if (!given && !o.all) return yield* Effect.fail(new InvalidRequest({ message: "missing WORKFLOW: give a CSV file or a workflow name, or --all for the whole repository" }))
        const workflow = o.all ? undefined : yield* pickWorkflow(args[0], o.csv, "refresh")
        const service = yield* CacheRefresh
        const report = yield* service.refresh({ ...(workflow !== undefined ? { workflow } : {}), dryRun: o.dryRun, force: false })
        printReport(mode, report)
        return refreshFailed(report) ? ExitCode.UserError : ExitCode.Ok
      })
    )
  }
})
