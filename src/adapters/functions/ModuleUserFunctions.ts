import * as fs from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { Effect, Layer } from "effect"
import { FunctionNotFound, UserFunctions } from "../../ports/UserFunctions.js"
import { ModuleLoadError } from "../../ports/UserModules.js"
import { registerDefaultHostModules } from "../modules/HostModules.js"
import { compileModule } from "../modules/ModuleCompiler.js"
import { fileHasher } from "../modules/FileHashes.js"
import { dynamicImport } from "./DynamicImport.js"

export interface FunctionOptions {
  /** The functions folder (`paths.functions`), absolute. */
  readonly directory: string
  /** Where compiled TypeScript functions are kept (`paths.cache`), absolute. */
  readonly cacheDirectory: string
}

const EXTENSIONS = [".ts", ".mts", ".js", ".mjs"] as const

type UserFunction = (...args: ReadonlyArray<unknown>) => unknown

export const make = (options: FunctionOptions) => {
  registerDefaultHostModules()
  const loaded = new Map<string, UserFunction>()

  const notFound = (name: string, why: string) => new FunctionNotFound({ name, message: `function '${name}': ${why}` })

  const importFunction = async (name: string, file: string): Promise<UserFunction> => {
    // the modules' pipeline: TypeScript compiled once into the cache, `agentmap`/`effect` imports shared
    const compiled = await compileModule(file, options.cacheDirectory, "functions")
    const module = (await dynamicImport(pathToFileURL(compiled.file).href)) as Record<string, unknown>
    const fn = module[name] ?? module["default"]
    if (typeof fn !== "function") throw new Error(`${path.basename(file)} exports no function named '${name}' and no default function`)
    return fn as UserFunction
  }

  const load = (name: string): Effect.Effect<UserFunction, FunctionNotFound> => {
    const cached = loaded.get(name)
    if (cached !== undefined) return Effect.succeed(cached)
    if (!/^[A-Za-z_$][\w$-]*$/.test(name)) return Effect.fail(notFound(name, "not a valid function name"))
    const file = EXTENSIONS.map((ext) => path.join(options.directory, `${name}${ext}`)).find((f) => fs.existsSync(f))
    if (file === undefined)
      return Effect.fail(notFound(name, `no ${EXTENSIONS.map((e) => name + e).join(", ")} in the functions folder ${options.directory}`))
    return Effect.tryPromise({
      try: () => importFunction(name, file),
      catch: (e) =>
        notFound(
          name,
          e instanceof ModuleLoadError && e.line !== undefined
            ? `${path.basename(e.file)}:${e.line}:${e.column ?? 1}: ${e.message}`
            : `${path.basename(file)} cannot be loaded: ${e instanceof Error ? e.message : String(e)}`
        )
    }).pipe(Effect.tap((fn) => Effect.sync(() => loaded.set(name, fn))))
  }

  const hash = fileHasher()
  const fingerprint = (name: string) =>
    Effect.sync(() => {
      const file = EXTENSIONS.map((ext) => path.join(options.directory, `${name}${ext}`)).find((f) => fs.existsSync(f))
      return file === undefined ? undefined : hash(file)
    })

  return UserFunctions.of({ load, fingerprint })
}

export const layer = (options: FunctionOptions) => Layer.succeed(UserFunctions, make(options))
