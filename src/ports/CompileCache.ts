import { Context, type Effect } from "effect"

/** What the compile cache holds, and how it has served this process. */
export interface CacheStats {
  /** The cache's folder (`paths.cache`), absolute. */
  readonly directory: string
  /** Bytes of the compiled entries on disk (manifests, compiled files, source maps). */
  readonly bytes: number
  /** Compiled entries on disk (one per user module of this AgentMap version). */
  readonly entries: number
  /** `cache.max_bytes`: least recently used entries are evicted beyond it. */
  readonly maxBytes: number
  /** Loads served from the cache since this process started. */
  readonly hits: number
  /** Loads that had to compile since this process started. */
  readonly misses: number
}

/** A user code file the cache derives an entry from. */
export interface CacheSource {
  readonly file: string
  /** `function` (paths.functions), `module` (custom agents, tools, host services). */
  readonly kind: "function" | "module"
}

/** Where a compile error is, in the user's file. */
export interface CacheProblem {
  readonly file: string
  readonly line?: number
  readonly column?: number
  readonly message: string
}

/** One entry after `refresh`: rebuilt, already current, or it failed to compile. */
export interface CacheOutcome extends CacheSource {
  readonly status: "rebuilt" | "current" | "failed"
  readonly problem?: CacheProblem
}

/**
 * The content-addressed cache of what AgentMap derives from user files (compiled routing
 * functions, custom agents, tools, host services) under `paths.cache`.
 */
export class CompileCache extends Context.Tag("agentmap/CompileCache")<
  CompileCache,
  {
    readonly stats: Effect.Effect<CacheStats>
    /** Every user code file of the configured folders (functions, custom agents, tools, host services). */
    readonly sources: Effect.Effect<ReadonlyArray<CacheSource>>
    /** Whether the file's entry is present and current (nothing is compiled). */
    readonly isCurrent: (source: CacheSource) => Effect.Effect<boolean>
    /** Compiles the file unless its entry is current (always with `force`); with `dryRun` only says what it would do. */
    readonly refresh: (source: CacheSource, options: { readonly force: boolean; readonly dryRun: boolean }) => Effect.Effect<CacheOutcome>
    /** From now on this process does not write the cache (a dry run): modules that must be compiled to be loaded go to a temporary folder. */
    readonly readOnly: Effect.Effect<void>
    /**
     * Removes every entry that is not the current entry of one of `keep` (stale content, another
     * version, deleted files); with `within`, only entries of those files (and of deleted files)
     * are candidates. Returns the removed entries' source files.
     */
    readonly prune: (
      keep: ReadonlyArray<CacheSource>,
      options: { readonly dryRun: boolean; readonly within?: ReadonlyArray<string> }
    ) => Effect.Effect<ReadonlyArray<string>>
  }
>() {}
