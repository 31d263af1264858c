import * as fs from "node:fs"
import { createRequire, SourceMap } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { ModuleLoadError } from "../../ports/UserModules.js"
import { atomicWrite, baseName, countHit, countMiss, evict, type Folder, type Manifest, manifestPath, readManifest, sha256, stillValid, touch, versionKey, writeDirectory, markCompiled } from "../cache/CacheStore.js"
import { isHostModule, loadHostModule, REGISTRY_EXPRESSION, SHARED_PREFIXES } from "./HostModules.js"

/**
 * User modules (custom agents, tools, host services, routing functions) are compiled by esbuild
 * into `paths.cache` before they are imported: TypeScript needs it on Node 20, and every module
 * needs its imports of `agentmap`, `effect`, `zod` and `@langchain/core/*` pointed at the running
 * AgentMap's copies (HostModules.ts). Local imports are bundled in; other packages stay external,
 * resolved from the module's folder (so the compiled file in the cache finds them).
 *
 * Compiled once: an entry of the compile cache (CacheStore.ts) keyed by the source's content hash
 * and AgentMap's version names the output and the other files it was built from; while none of
 * those changed, a later load skips esbuild entirely.
 */

/** Where AgentMap itself is installed: packages it shares are found from here when the module's folder lacks them. */
const ownDirectory = () => path.dirname(fileURLToPath(import.meta.url))

const isBare = (specifier: string) => !/^(\.|\/|[A-Za-z]:[\\/]|node:|file:|data:)/.test(specifier)
const isShared = (specifier: string) => SHARED_PREFIXES.some((p) => specifier === p || specifier.startsWith(`${p}/`))

type Esbuild = typeof import("esbuild")

/** The virtual module for a shared package: the registry's namespace, its names enumerated now. */
const virtualModule = async (specifier: string): Promise<string> => {
  const ns = await loadHostModule(specifier)
  const names = Object.keys(ns).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n))
  return [
    `const registry = ${REGISTRY_EXPRESSION};`,
    `if (registry === undefined) throw new Error(${JSON.stringify(`this module was compiled for AgentMap and imports '${specifier}' from it; load it through AgentMap`)});`,
    `const ns = await registry.load(${JSON.stringify(specifier)});`,
    ...names.map((n, i) => `const e${i} = ns[${JSON.stringify(n)}];`),
    `export { ${names.map((n, i) => `e${i} as ${n}`).join(", ")} };`
  ].join("\n")
}

const hostPlugin: import("esbuild").Plugin = {
  name: "agentmap-host-modules",
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === "agentmap-inner" || !isBare(args.path) || args.namespace === "agentmap-host") return undefined
      if (isHostModule(args.path)) return { path: args.path, namespace: "agentmap-host" }
      // other packages: resolved from the module's folder, kept external by absolute path
      const inner = { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: "agentmap-inner" }
      const found = await build.resolve(args.path, inner)
      if (found.errors.length === 0 && found.path !== "") return { path: found.path, external: true }
      if (isShared(args.path)) {
        const own = await build.resolve(args.path, { ...inner, resolveDir: ownDirectory() })
        if (own.errors.length === 0 && own.path !== "") return { path: own.path, external: true }
      }
      return { errors: found.errors }
    })
    build.onLoad({ filter: /.*/, namespace: "agentmap-host" }, async (args) => ({ contents: await virtualModule(args.path), loader: "js", resolveDir: ownDirectory() }))
  }
}

/** A compiled module: the file to import and its source map (to map stack positions back). */
export interface Compiled {
  readonly file: string
  readonly sourceMap: string
}

/** Whether `file` has a current entry in the cache (nothing compiled, nothing counted). */
export const isCompiled = (file: string, cacheDirectory: string, kind: Folder): boolean => {
  let source: Buffer
  try {
    source = fs.readFileSync(file)
  } catch {
    return false
  }
  const manifestFile = manifestPath(cacheDirectory, kind, file, source)
  const manifest = readManifest(manifestFile)
  return manifest !== undefined && stillValid(manifest, manifestFile)
}

/**
 * Compiles `file` into `cacheDirectory/<kind>/` unless a valid compiled copy is there already
 * (always with `force`). A compile error is a ModuleLoadError at the module's own line and column.
 */
export const compileModule = async (file: string, cacheDirectory: string, kind: Folder, options: { readonly force?: boolean } = {}): Promise<Compiled & { readonly rebuilt: boolean }> => {
  const folder = path.join(cacheDirectory, kind)
  const source = fs.readFileSync(file)
  const base = baseName(file)
  const manifestFile = manifestPath(cacheDirectory, kind, file, source)
  const manifest = options.force === true ? undefined : readManifest(manifestFile)
  if (manifest !== undefined && stillValid(manifest, manifestFile)) {
    countHit(cacheDirectory)
    touch(manifestFile)
    const out = path.join(folder, manifest.output)
    return { file: out, sourceMap: `${out}.map`, rebuilt: false }
  }
  countMiss(cacheDirectory)
  // a dry run leaves the cache as it is: what must be compiled is written elsewhere
  const writeTo = writeDirectory(cacheDirectory)
  if (writeTo !== cacheDirectory) return compileModule(file, writeTo, kind, options)

  const esbuild = createRequire(import.meta.url)("esbuild") as Esbuild
  const provisional = path.join(folder, `${base}.mjs`)
  let result: import("esbuild").BuildResult<{ write: false; metafile: true }>
  try {
    result = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: path.dirname(file),
      outfile: provisional,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      metafile: true,
      sourcemap: "external",
      sourcesContent: false,
      logLevel: "silent",
      plugins: [hostPlugin]
    })
  } catch (e) {
    const failure = e as { errors?: ReadonlyArray<import("esbuild").Message> }
    const first = failure.errors?.[0]
    if (first === undefined) throw new ModuleLoadError({ file, message: e instanceof Error ? e.message : String(e) })
    const at = first.location
    const where = at?.file !== undefined && at.file !== "" ? path.resolve(path.dirname(file), at.file) : file
    const more = (failure.errors?.length ?? 1) - 1
    throw new ModuleLoadError({
      file: where,
      ...(at != null ? { line: at.line, column: at.column + 1 } : {}),
      message: `${first.text}${more > 0 ? ` (and ${more} more error${more === 1 ? "" : "s"})` : ""}`
    })
  }
  const code = result.outputFiles.find((o) => o.path.endsWith(".mjs"))!.text
  const map = result.outputFiles.find((o) => o.path.endsWith(".map"))?.text ?? "{}"
  const output = `${base}.${sha256(code).slice(0, 16)}.mjs`
  const target = path.join(folder, output)
  const inputs = Object.keys(result.metafile.inputs)
    .map((i) => path.resolve(path.dirname(file), i))
    .filter((i) => i !== file && fs.existsSync(i))
    .map((i) => ({ file: i, hash: sha256(fs.readFileSync(i)) }))
  // the map first: a compiled file is never without it; the manifest last: it names only finished files
  atomicWrite(`${target}.map`, map)
  if (!fs.existsSync(target)) atomicWrite(target, code.replace(/\/\/# sourceMappingURL=.*\s*$/, `//# sourceMappingURL=${output}.map\n`))
  atomicWrite(manifestFile, JSON.stringify({ output, inputs, source: file, version: versionKey() } satisfies Manifest))
  markCompiled(cacheDirectory, file)
  evict(cacheDirectory, manifestFile)
  return { file: target, sourceMap: `${target}.map`, rebuilt: true }
}

/**
 * Where in the user's source an error thrown while importing a compiled module came from: the
 * first stack frame in the compiled file, mapped back through its source map.
 */
export const sourcePosition = (error: unknown, compiled: Compiled, original: string): { file: string; line: number; column: number } | undefined => {
  const stack = error instanceof Error ? (error.stack ?? "") : ""
  const name = path.basename(compiled.file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  const frame = new RegExp(`${name}:(\\d+):(\\d+)`).exec(stack)
  if (frame === null) return undefined
  try {
    const map = new SourceMap(JSON.parse(fs.readFileSync(compiled.sourceMap, "utf8")) as ConstructorParameters<typeof SourceMap>[0])
    const entry = map.findEntry(Number(frame[1]) - 1, Number(frame[2]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number }
    if (entry.originalLine === undefined || entry.originalSource === undefined) return undefined
    const source = entry.originalSource.startsWith("file:") ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(compiled.file), entry.originalSource)
    return { file: fs.existsSync(source) ? source : original, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 }
  } catch {
    return undefined
  }
}
