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
        const workflows: Array<CheckedWorkflow> = []
        /** The user code a workflow uses, as cache sources (tool modules beside a CSV are outside the folders). */
        const usedBy = (used: { readonly functions: ReadonlyArray<string>; readonly modules: ReadonlyArray<string> }): ReadonlyArray<CacheSource> => [
          ...all.filter((s) => s.kind === "function" && used.functions.includes(stem(s.file))),
          ...used.modules.map((file) => ({ file, kind: "module" as const }))
        ]
        let scope: ReadonlyArray<CacheSource>
        if (request.workflow !== undefined) {
          const used = yield* builder.uses(request.workflow)
          workflows.push({ file: used.report.file, valid: used.report.valid, diagnostics: used.report.diagnostics })
          scope = usedBy(used)
        } else {
          const extra: Array<CacheSource> = []
          for (const w of yield* repo.list) {
            const used = yield* builder.uses(w.location.path).pipe(Effect.option)
            if (used._tag === "None") continue
            workflows.push({ file: used.value.report.file, valid: used.value.report.valid, diagnostics: used.value.report.diagnostics })
            extra.push(...usedBy(used.value))
          }
          scope = [...all, ...extra.filter((e, i) => !all.some((s) => s.file === e.file) && extra.findIndex((x) => x.file === e.file) === i)]
        }
        const entries = yield* Effect.forEach(scope, (s) => cache.refresh(s, { force: request.force, dryRun: request.dryRun }))
        // one workflow: only older entries of its own files go (others may be another workflow's)
        const removed = yield* cache.prune(request.workflow !== undefined ? scope : [...all, ...scope], {
          dryRun: request.dryRun,
          ...(request.workflow !== undefined ? { within: scope.map((s) => s.file) } : {})
        })
        return { scope: request.workflow ?? "all", dryRun: request.dryRun, workflows, entries, removed, stats: yield* cache.stats }
      })

    return { refresh, stats: cache.stats }
  })
)
