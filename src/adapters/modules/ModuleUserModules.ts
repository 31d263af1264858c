import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { Effect, Layer } from "effect"
import { ModuleLoadError, UserModules } from "../../ports/UserModules.js"
import { dynamicImport } from "../functions/DynamicImport.js"
import { fileHasher } from "./FileHashes.js"
import { registerDefaultHostModules } from "./HostModules.js"
import { compileModule, sourcePosition } from "./ModuleCompiler.js"

export interface ModuleOptions {
  /** Where compiled modules are kept (`paths.cache`), absolute. */
  readonly cacheDirectory: string
}

type Namespace = Readonly<Record<string, unknown>>

const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

/**
 * User modules from files: compiled by esbuild into the cache (once per content), then imported.
 * A module is imported again only when its source changes (a long-lived `serve` picks up edits).
 */
export const make = (options: ModuleOptions) => {
  registerDefaultHostModules()
  const hash = fileHasher()
  const loaded = new Map<string, { hash: string; namespace: Promise<Namespace> }>()

  const importModule = async (file: string): Promise<Namespace> => {
    const compiled = await compileModule(file, options.cacheDirectory, "modules")
    try {
      return (await dynamicImport(pathToFileURL(compiled.file).href)) as Namespace
    } catch (e) {
      const at = sourcePosition(e, compiled, file)
      throw new ModuleLoadError({
        file: at?.file ?? file,
        ...(at !== undefined ? { line: at.line, column: at.column } : {}),
        message: `throws when imported: ${message(e)}`
      })
    }
  }

  const load = (file: string): Effect.Effect<Namespace, ModuleLoadError> =>
    Effect.suspend(() => {
      const absolute = path.resolve(file)
      const current = hash(absolute)
      if (current === undefined) return Effect.fail(new ModuleLoadError({ file: absolute, message: "no such file" }))
      let entry = loaded.get(absolute)
      if (entry === undefined || entry.hash !== current) {
        entry = { hash: current, namespace: importModule(absolute) }
        loaded.set(absolute, entry)
        // a failed load is tried again next time (the user may have fixed the file meanwhile)
        const failed = entry
        entry.namespace.catch(() => loaded.get(absolute) === failed && loaded.delete(absolute))
      }
      const namespace = entry.namespace
      return Effect.tryPromise({
        try: () => namespace,
        catch: (e) => (e instanceof ModuleLoadError ? e : new ModuleLoadError({ file: absolute, message: message(e) }))
      })
    })

  const fingerprint = (file: string) => Effect.sync(() => hash(path.resolve(file)))

  return UserModules.of({ load, fingerprint })
}

export const layer = (options: ModuleOptions) => Layer.sync(UserModules, () => make(options))
