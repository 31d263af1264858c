import { Context, Effect, Layer } from "effect"
import type { Diagnostic } from "../domain/Diagnostic.js"
import type { GraphNotFound, InvalidRequest, WorkflowNotFound } from "../domain/Errors.js"
import { type CacheOutcome, type CacheSource, type CacheStats, CompileCache } from "../ports/CompileCache.js"
import { WorkflowRepository } from "../ports/WorkflowRepository.js"
import { PlanBuilder } from "./PlanBuilder.js"

export interface RefreshRequest {
  /** One workflow (a CSV file or a repository name); absent: the whole repository. */
  readonly workflow?: string
  /** Report what would be done; nothing is written or removed. */
  readonly dryRun: boolean
  /** Rebuild even entries that are current (`run --force-create`). */
  readonly force: boolean
}

/** A workflow CSV checked by `refresh`. */
export interface CheckedWorkflow {
  readonly file: string
  readonly valid: boolean
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

export interface RefreshReport {
  readonly scope: string
  readonly dryRun: boolean
  readonly workflows: ReadonlyArray<CheckedWorkflow>
  /** Every user code entry of the scope: rebuilt, current, or failed (with the compile error). */
  readonly entries: ReadonlyArray<CacheOutcome>
  /** Source files of the entries removed (stale, of another version, of deleted files). */
  readonly removed: ReadonlyArray<string>
  readonly stats: CacheStats
}

/** A module file's name without folder and extension (`functions/pick.ts` → `pick`). */
const stem = (file: string) => (/[^/\\]+$/.exec(file)?.[0] ?? file).replace(/\.[cm]?[jt]s$/, "")

/** `agentmap refresh`: the compile cache's entries for one workflow or the whole repository, rebuilt where stale. */
export class CacheRefresh extends Context.Tag("agentmap/CacheRefresh")<
  CacheRefresh,
  {
    readonly refresh: (request: RefreshRequest) => Effect.Effect<RefreshReport, WorkflowNotFound | GraphNotFound | InvalidRequest>
    readonly stats: Effect.Effect<CacheStats>
  }
>() {}

export const layer = Layer.effect(
  CacheRefresh,
  Effect.gen(function* () {
    const cache = yield* CompileCache
    const builder = yield* PlanBuilder
    const repo = yield* WorkflowRepository

    const refresh = (request: RefreshRequest) =>
      Effect.gen(function* () {
        if (request.dryRun) yield* cache.readOnly
        const all = yield* cache.sources
        // what is current before anything is loaded: checking a workflow loads (compiles) the code it uses
        const before = new Map(yield* Effect.forEach(all, (s) => Effect.map(cache.isCurrent(s), (c) => [s.file, c] as const)))
        let scope: ReadonlyArray<CacheSource> = all
        const workflows: Array<CheckedWorkflow> = []
        if (request.workflow !== undefined) {
          const used = yield* builder.uses(request.workflow)
          workflows.push({ file: used.report.file, valid: used.report.valid, diagnostics: used.report.diagnostics })
          scope = all.filter(
            (s) =>
              (s.kind === "function" && used.functions.some((name) => stem(s.file) === name)) ||
              (s.kind === "module" && used.modules.includes(s.file))
          )
        } else {
          for (const w of yield* repo.list) {
            const report = yield* builder.validate(w.location.path, undefined).pipe(Effect.option)
            if (report._tag === "Some") workflows.push({ file: report.value.file, valid: report.value.valid, diagnostics: report.value.diagnostics })
          }
        }
        const entries = yield* Effect.forEach(scope, (s) =>
          Effect.map(cache.refresh(s, { force: request.force, dryRun: request.dryRun }), (o): CacheOutcome =>
            // compiled while the workflow was checked: rebuilt by this refresh all the same
            o.status === "current" && before.get(s.file) !== true ? { ...o, status: "rebuilt" } : o
          )
        )
        const removed = yield* cache.prune(all, { dryRun: request.dryRun })
        return { scope: request.workflow ?? "all", dryRun: request.dryRun, workflows, entries, removed, stats: yield* cache.stats }
      })

    return { refresh, stats: cache.stats }
  })
)
