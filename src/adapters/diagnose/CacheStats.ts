import * as fs from "node:fs"
import type { CacheStats as CompiledStats } from "../../ports/CompileCache.js"

/** What `paths.cache` holds (size on disk, compiled entries, its bound) and how it has served this process. */
export interface CacheStats {
  readonly path: string
  readonly exists: boolean
  readonly bytes: number
  /** Compiled entries (one per user module of this AgentMap version). */
  readonly entries: number
  /** `cache.max_bytes`: least recently used entries are evicted beyond it. */
  readonly max_bytes: number
  /** Loads served from the cache and loads that compiled, since this process started (a server: since it started). */
  readonly hits: number
  readonly misses: number
  /** hits / (hits + misses), or null before the first load. */
  readonly hit_rate: number | null
}

/** The compile cache's own statistics as diagnose reports them (hits and misses: since this process started). */
export const cacheReport = (stats: CompiledStats): CacheStats => ({
  path: stats.directory,
  exists: fs.existsSync(stats.directory),
  bytes: stats.bytes,
  entries: stats.entries,
  max_bytes: stats.maxBytes,
  hits: stats.hits,
  misses: stats.misses,
  hit_rate: stats.hits + stats.misses === 0 ? null : Math.round((stats.hits / (stats.hits + stats.misses)) * 1000) / 1000
})
