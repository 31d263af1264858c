import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Layer } from "effect"
import { customAgentTypeFromFile, MODULE_EXTENSIONS } from "../../domain/AgentType.js"
import { type CacheOutcome, type CacheSource, CompileCache } from "../../ports/CompileCache.js"
import { ModuleLoadError } from "../../ports/UserModules.js"
import { registerDefaultHostModules } from "../modules/HostModules.js"
import { compileModule, isCompiled } from "../modules/ModuleCompiler.js"
import { compiledHere, configureCache, type Folder, manifestPath, prune, redirectWrites, statsOf } from "./CacheStore.js"

export interface CacheOptions {
  /** `paths.cache`, absolute. */
  readonly directory: string
  /** `cache.max_bytes`. */
  readonly maxBytes: number
  /** The folders of user code, absolute. */
  readonly functions: string
  readonly customAgents: string
  readonly customTools: string
  /** `paths.host_services` (an extension may be left off). */
  readonly hostServices: string
}

const folderOf = (source: CacheSource): Folder => (source.kind === "function" ? "functions" : "modules")

const modulesIn = (folder: string, accept: (name: string) => boolean) => {
  try {
    return fs
      .readdirSync(folder)
      .filter((n) => accept(n) && fs.statSync(path.join(folder, n)).isFile())
      .sort()
      .map((n) => path.join(folder, n))
  } catch {
    return []
  }
}

const isModuleFile = (name: string) => customAgentTypeFromFile(name) !== undefined

const hostServicesFile = (base: string) =>
  MODULE_EXTENSIONS.some((e) => base.endsWith(e)) && fs.existsSync(base) ? base : MODULE_EXTENSIONS.map((e) => `${base}${e}`).find((f) => fs.existsSync(f))

export const make = (options: CacheOptions) => {
  configureCache(options.directory, options.maxBytes)
  registerDefaultHostModules()

  const sources = Effect.sync((): ReadonlyArray<CacheSource> => {
    const host = hostServicesFile(options.hostServices)
    const modules = [...modulesIn(options.customAgents, isModuleFile), ...modulesIn(options.customTools, isModuleFile), ...(host !== undefined ? [host] : [])]
    return [
      ...modulesIn(options.functions, isModuleFile).map((file) => ({ file, kind: "function" as const })),
      ...[...new Set(modules)].map((file) => ({ file, kind: "module" as const }))
    ]
  })

  const isCurrent = (source: CacheSource) => Effect.sync(() => isCompiled(source.file, options.directory, folderOf(source)))

  const refresh = (source: CacheSource, o: { readonly force: boolean; readonly dryRun: boolean }): Effect.Effect<CacheOutcome> =>
    Effect.gen(function* () {
      const current = yield* isCurrent(source)
      // compiled by this process a moment ago (loading a workflow to check it): this refresh built it
      if (current && !o.force) return { ...source, status: compiledHere(options.directory, source.file) ? ("rebuilt" as const) : ("current" as const) }
      if (o.dryRun) return { ...source, status: "rebuilt" as const }
      return yield* Effect.promise(() =>
        compileModule(source.file, options.directory, folderOf(source), { force: true }).then(
          (): CacheOutcome => ({ ...source, status: "rebuilt" }),
          (e: unknown): CacheOutcome => ({
            ...source,
            status: "failed",
            problem:
              e instanceof ModuleLoadError
                ? { file: e.file, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}), message: e.message }
                : { file: source.file, message: e instanceof Error ? e.message : String(e) }
          })
        )
      )
    })

  const pruneUnreferenced = (keep: ReadonlyArray<CacheSource>, o: { readonly dryRun: boolean; readonly within?: ReadonlyArray<string> }) =>
    Effect.sync(() => {
      const manifests = new Set(
        keep.flatMap((s) => {
          try {
            return [manifestPath(options.directory, folderOf(s), s.file, fs.readFileSync(s.file))]
          } catch {
            return []
          }
        })
      )
      return prune(options.directory, manifests, o.dryRun, o.within !== undefined ? new Set(o.within) : undefined)
    })

  const readOnly = Effect.sync(() => redirectWrites(options.directory))

  return CompileCache.of({ stats: Effect.sync(() => statsOf(options.directory)), sources, isCurrent, refresh, prune: pruneUnreferenced, readOnly })
}

export const layer = (options: CacheOptions) => Layer.sync(CompileCache, () => make(options))
