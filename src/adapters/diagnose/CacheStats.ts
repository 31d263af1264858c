import * as fs from "node:fs"
import * as path from "node:path"

/** What `paths.cache` holds: its size on disk and how many compiled entries it keeps. */
export interface CacheStats {
  readonly path: string
  readonly exists: boolean
  readonly bytes: number
  /** Files below the cache's sub-folders (compiled modules and their manifests); the stores at its top level are not entries. */
  readonly entries: number
}

/**
 * Reads the cache folder directly. The compile cache (issue 19 §2) keeps its own statistics;
 * this is the one place diagnose asks, so it can be pointed at that port instead.
 */
export const cacheStats = (folder: string): CacheStats => {
  let bytes = 0
  let entries = 0
  const walk = (dir: string, depth: number) => {
    let names: Array<fs.Dirent>
    try {
      names = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const d of names) {
      const full = path.join(dir, d.name)
      if (d.isDirectory()) walk(full, depth + 1)
      else if (d.isFile()) {
        try {
          bytes += fs.statSync(full).size
        } catch {
          continue
        }
        if (depth > 0) entries += 1
      }
    }
  }
  const exists = fs.existsSync(folder)
  if (exists) walk(folder, 0)
  return { path: folder, exists, bytes, entries }
}
