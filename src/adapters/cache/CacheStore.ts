import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { packageVersion } from "../version/PackageVersion.js"
import * as Metrics from "../../application/Metrics.js"

/**
 * The compile cache on disk: `paths.cache/functions/` and `paths.cache/modules/`, one entry per
 * user module: a manifest `<name>.<key>.json` naming the compiled file `<name>.<code hash>.mjs`
 * (and its `.map`) and the local files bundled in, with their sha256.
 *
 * - key: sha256 of the compiler revision, AgentMap's version, the file's path and its bytes; the
 *   manifest repeats the version and is not trusted when it differs (an entry of another
 *   version is never used);
 * - writes are atomic (temp file + rename), the manifest last, so a concurrent process sees a
 *   whole entry or none;
 * - bounded: past `cache.max_bytes` the least recently used entries go (a hit touches the
 *   manifest's modification time);
 * - hits and misses are counted per process.
 */

/** Bumped when the compiled form changes, so stale cache entries are not used. */
const COMPILER_REVISION = "1"

/** `cache.max_bytes` when the configuration does not say. */
export const DEFAULT_MAX_BYTES = 128 * 1024 * 1024

/** The folders of the two kinds of entries. */
export const FOLDERS = ["functions", "modules"] as const
export type Folder = (typeof FOLDERS)[number]

/** Orphaned temp files younger than this may belong to a process still writing. */
const TEMP_GRACE_MILLIS = 60_000

export const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex")

/** The version entries are keyed by: AgentMap's (AGENTMAP_CACHE_VERSION_KEY stands in for another version in tests). */
export const versionKey = () => {
  const forced = process.env["AGENTMAP_CACHE_VERSION_KEY"]
  return forced !== undefined && forced !== "" ? forced : packageVersion()
}

export const atomicWrite = (target: string, data: string) => {
  fs.mkdirSync(path.dirname(target), { recursive: true })
  const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  fs.writeFileSync(temp, data)
  fs.renameSync(temp, target)
}

export interface Manifest {
  readonly output: string
  /** Other files bundled in (local imports), with their sha256. */
  readonly inputs: ReadonlyArray<{ readonly file: string; readonly hash: string }>
  /** The user's file (absolute). */
  readonly source?: string
  /** The AgentMap version that wrote it. */
  readonly version?: string
}

interface Counters {
  maxBytes: number
  hits: number
  misses: number
}

const counters = new Map<string, Counters>()

const countersOf = (directory: string): Counters => {
  let c = counters.get(directory)
  if (c === undefined) {
    c = { maxBytes: DEFAULT_MAX_BYTES, hits: 0, misses: 0 }
    counters.set(directory, c)
  }
  return c
}

/** Sets `cache.max_bytes` for the cache in `directory`. */
export const configureCache = (directory: string, maxBytes: number) => void (countersOf(directory).maxBytes = maxBytes)

/** Caches that must not be written (`refresh --dry-run`): what must be compiled goes to a temporary folder instead. */
const redirected = new Map<string, string>()

export const redirectWrites = (directory: string) => {
  if (redirected.has(directory)) return
  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-dry-run-"))
  redirected.set(directory, temporary)
  process.once("exit", () => fs.rmSync(temporary, { recursive: true, force: true }))
}

/** Where compiled entries of the cache in `directory` are written. */
export const writeDirectory = (directory: string) => redirected.get(directory) ?? directory

export const countHit = (directory: string) => {
  countersOf(directory).hits++
  Metrics.countNow(Metrics.cacheHits)
}
export const countMiss = (directory: string) => {
  countersOf(directory).misses++
  Metrics.countNow(Metrics.cacheMisses)
}

/** Source files this process compiled (a load that missed the cache), by cache folder. */
const compiled = new Set<string>()
export const markCompiled = (directory: string, file: string) => void compiled.add(`${directory}\u0000${file}`)
export const compiledHere = (directory: string, file: string) => compiled.has(`${directory}\u0000${file}`)

/** A name safe in a file name, from the module's file. */
export const baseName = (file: string) =>
  path
    .basename(file)
    .replace(/\.[cm]?[jt]s$/, "")
    .replace(/[^\w.-]/g, "_")

/** The manifest the entry of `file` (with these bytes) has under this version. */
export const manifestPath = (directory: string, folder: Folder, file: string, source: Buffer) => {
  const key = sha256(`${COMPILER_REVISION}\u0000${versionKey()}\u0000${file}\u0000${sha256(source)}`).slice(0, 24)
  return path.join(directory, folder, `${baseName(file)}.${key}.json`)
}

export const readManifest = (file: string): Manifest | undefined => {
  try {
    const m = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest
    return typeof m.output === "string" && Array.isArray(m.inputs) ? m : undefined
  } catch {
    return undefined
  }
}

/** The entry is whole, of this version, and none of its bundled local files changed. */
export const stillValid = (m: Manifest, manifestFile: string) =>
  m.version === versionKey() &&
  fs.existsSync(path.join(path.dirname(manifestFile), m.output)) &&
  m.inputs.every((i) => {
    try {
      return sha256(fs.readFileSync(i.file)) === i.hash
    } catch {
      return false
    }
  })

/** Marks an entry used (LRU order is the manifests' modification times). */
export const touch = (manifestFile: string) => {
  try {
    const now = new Date()
    fs.utimesSync(manifestFile, now, now)
  } catch {
    // evicted meanwhile by another process: the next load compiles again
  }
}

interface FileInfo {
  readonly file: string
  readonly size: number
  readonly mtimeMs: number
}

const scan = (directory: string): ReadonlyArray<FileInfo & { readonly folder: Folder; readonly name: string }> =>
  FOLDERS.flatMap((folder) => {
    const dir = path.join(directory, folder)
    let names: ReadonlyArray<string>
    try {
      names = fs.readdirSync(dir)
    } catch {
      return []
    }
    return names.flatMap((name) => {
      try {
        const st = fs.statSync(path.join(dir, name))
        return st.isFile() ? [{ file: path.join(dir, name), size: st.size, mtimeMs: st.mtimeMs, folder, name }] : []
      } catch {
        return []
      }
    })
  })

const remove = (file: string) => {
  try {
    fs.rmSync(file, { force: true })
  } catch {
    // another process removed it first
  }
}

/** Bytes and entries on disk, hits and misses of this process. */
export const statsOf = (directory: string) => {
  const files = scan(directory)
  const c = countersOf(directory)
  return {
    directory,
    bytes: files.reduce((n, f) => n + f.size, 0),
    entries: files.filter((f) => f.name.endsWith(".json")).length,
    maxBytes: c.maxBytes,
    hits: c.hits,
    misses: c.misses
  }
}

/**
 * Removes manifests that `keep` rejects, then the compiled files no remaining manifest names
 * (and temp files older than a minute). Returns the removed manifests' source files.
 */
const sweep = (directory: string, keep: (manifestFile: string, m: Manifest | undefined) => boolean, dryRun: boolean): ReadonlyArray<string> => {
  const files = scan(directory)
  const removed: Array<string> = []
  const referenced = new Set<string>()
  const released = new Set<string>()
  for (const f of files.filter((x) => x.name.endsWith(".json"))) {
    const m = readManifest(f.file)
    if (keep(f.file, m)) {
      if (m !== undefined) referenced.add(path.join(path.dirname(f.file), m.output))
      continue
    }
    if (m !== undefined) released.add(path.join(path.dirname(f.file), m.output))
    removed.push(m?.source ?? f.file)
    if (!dryRun) remove(f.file)
  }
  if (!dryRun)
    for (const f of files) {
      if (f.name.endsWith(".json")) continue
      if (f.name.endsWith(".tmp")) {
        if (Date.now() - f.mtimeMs > TEMP_GRACE_MILLIS) remove(f.file)
        continue
      }
      const compiled = f.name.endsWith(".map") ? f.file.slice(0, -".map".length) : f.file
      // a compiled file no manifest names yet may be another process's entry being written
      if (!referenced.has(compiled) && (released.has(compiled) || Date.now() - f.mtimeMs > TEMP_GRACE_MILLIS)) remove(f.file)
    }
  return removed
}

/**
 * Removes the entries whose manifest is not in `keep` (absolute manifest paths). With `within`,
 * only entries of those source files, or of files that no longer exist, are candidates.
 */
export const prune = (directory: string, keep: ReadonlySet<string>, dryRun: boolean, within?: ReadonlySet<string>) =>
  sweep(
    directory,
    (file, m) =>
      keep.has(file) || (within !== undefined && m?.source !== undefined && !within.has(m.source) && fs.existsSync(m.source)) || (within !== undefined && m?.source === undefined),
    dryRun
  )

/** Evicts least recently used entries until the cache is within `cache.max_bytes`; `current` (just written) stays. */
export const evict = (directory: string, current: string) => {
  const { maxBytes } = countersOf(directory)
  const files = scan(directory)
  let total = files.reduce((n, f) => n + f.size, 0)
  if (total <= maxBytes) return
  const sizes = new Map(files.map((f) => [f.file, f.size]))
  const manifests = files.filter((f) => f.name.endsWith(".json") && f.file !== current).sort((a, b) => a.mtimeMs - b.mtimeMs)
  const outputs = new Map(files.filter((f) => f.name.endsWith(".json")).map((f) => [f.file, readManifest(f.file)?.output]))
  const evicted = new Set<string>()
  for (const m of manifests) {
    if (total <= maxBytes) break
    evicted.add(m.file)
    total -= m.size
    const output = outputs.get(m.file)
    if (output === undefined) continue
    // the compiled file goes too unless a kept entry names it (same code from another manifest)
    const shared = [...outputs].some(([other, o]) => o === output && !evicted.has(other) && path.dirname(other) === path.dirname(m.file))
    if (!shared) {
      const compiled = path.join(path.dirname(m.file), output)
      total -= (sizes.get(compiled) ?? 0) + (sizes.get(`${compiled}.map`) ?? 0)
    }
  }
  if (evicted.size > 0) sweep(directory, (file) => !evicted.has(file), false)
}
