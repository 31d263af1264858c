import { createHash } from "node:crypto"
import { createRequire } from "node:module"
import * as fs from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { Effect, Layer } from "effect"
import { FunctionNotFound, UserFunctions } from "../../ports/UserFunctions.js"
import { dynamicImport } from "./DynamicImport.js"

export interface FunctionOptions {
  /** The functions folder (`paths.functions`), absolute. */
  readonly directory: string
  /** Where compiled TypeScript functions are kept (`paths.cache`), absolute. */
  readonly cacheDirectory: string
}

const EXTENSIONS = [".ts", ".mts", ".js", ".mjs"] as const

type UserFunction = (...args: ReadonlyArray<unknown>) => unknown

/** Node 20 cannot run TypeScript: bundle the function with esbuild into the cache folder, then import it. */
const compileTypeScript = async (file: string, cacheDirectory: string): Promise<string> => {
  const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild")
  const out = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    write: false,
    logLevel: "silent"
  })
  const code = out.outputFiles[0]!.text
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16)
  const target = path.join(cacheDirectory, "functions", `${path.basename(file).replace(/\.m?ts$/, "")}.${hash}.mjs`)
  if (!fs.existsSync(target)) {
    fs.mkdirSync(path.dirname(target), { recursive: true })
    const temp = `${target}.${process.pid}.tmp`
    fs.writeFileSync(temp, code)
    fs.renameSync(temp, target)
  }
  return target
}

export const make = (options: FunctionOptions) => {
  const loaded = new Map<string, UserFunction>()

  const notFound = (name: string, why: string) => new FunctionNotFound({ name, message: `function '${name}': ${why}` })

  const importFunction = async (name: string, file: string): Promise<UserFunction> => {
    const entry = file.endsWith("ts") ? await compileTypeScript(file, options.cacheDirectory) : file
    const module = (await dynamicImport(pathToFileURL(entry).href)) as Record<string, unknown>
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
      catch: (e) => notFound(name, `${path.basename(file)} cannot be loaded: ${e instanceof Error ? e.message : String(e)}`)
    }).pipe(Effect.tap((fn) => Effect.sync(() => loaded.set(name, fn))))
  }

  const hashes = new Map<string, { version: string; hash: string }>()
  const fingerprint = (name: string) =>
    Effect.sync(() => {
      const file = EXTENSIONS.map((ext) => path.join(options.directory, `${name}${ext}`)).find((f) => fs.existsSync(f))
      if (file === undefined) return undefined
      const stat = fs.statSync(file)
      const version = `${stat.size}:${stat.mtimeMs}`
      const known = hashes.get(file)
      if (known?.version === version) return known.hash
      const hash = createHash("sha256").update(fs.readFileSync(file)).digest("hex")
      hashes.set(file, { version, hash })
      return hash
    })

  return UserFunctions.of({ load, fingerprint })
}

export const layer = (options: FunctionOptions) => Layer.succeed(UserFunctions, make(options))
