import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Queue } from "effect"

export interface WatchTarget {
  /** What it is, for the start-up message (`workflows`, `functions`, `config file`). */
  readonly label: string
  /** A folder (watched with everything under it) or a file (its folder is watched, only that name counts). */
  readonly path: string
  readonly kind: "folder" | "file"
}

export interface Watched extends WatchTarget {
  /** False when the folder does not exist (yet): nothing under it can be noticed. */
  readonly active: boolean
}

const isFolder = (p: string) => {
  try {
    return fs.statSync(p).isDirectory()
  } catch {
    return false
  }
}

const filesUnder = (folder: string): Array<string> => {
  try {
    return fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
  } catch {
    return []
  }
}

/** Editor droppings and folders no workflow lives in. */
const ignored = (file: string) => {
  const parts = file.split(path.sep)
  const name = parts[parts.length - 1] ?? ""
  return (
    parts.includes("node_modules") ||
    parts.slice(0, -1).some((p) => p.startsWith(".") && p !== "." && p !== "..") ||
    name.endsWith("~") ||
    /\.(swp|swx|tmp)$/.test(name) ||
    name.startsWith(".#")
  )
}

/**
 * Watches folders (with their sub-folders) and files through node:fs watch and offers the changed paths in batches:
 * changes closer together than `debounceMillis` arrive as one batch. The watchers close with the scope.
 */
export const watch = (targets: ReadonlyArray<WatchTarget>, options: { readonly debounceMillis: number; readonly exclude: ReadonlyArray<string> }) =>
  Effect.gen(function* () {
    const queue = yield* Queue.unbounded<ReadonlyArray<string>>()
    const pending = new Set<string>()
    let timer: NodeJS.Timeout | undefined
    const excluded = (file: string) => options.exclude.some((dir) => file === dir || file.startsWith(dir + path.sep))
    const notice = (file: string) => {
      if (ignored(file) || excluded(file)) return
      pending.add(file)
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(() => {
        timer = undefined
        const batch = [...pending]
        pending.clear()
        Queue.unsafeOffer(queue, batch)
      }, options.debounceMillis)
    }
    const watched: Array<Watched> = []
    const folders = new Map<string, Set<string> | "all">()
    const awaited = new Set<string>()
    for (const target of targets) {
      const folder = target.kind === "folder" ? target.path : path.dirname(target.path)
      const names = folders.get(folder)
      if (target.kind === "folder") folders.set(folder, "all")
      else if (names !== "all") folders.set(folder, new Set([...(names ?? []), path.basename(target.path)]))
      watched.push({ ...target, active: isFolder(folder) })
      // a folder created later (the first function, `agentmap scaffold`) is noticed through its parent
      if (target.kind === "folder" && !isFolder(folder)) {
        const parent = path.dirname(folder)
        const siblings = folders.get(parent)
        if (siblings !== "all") folders.set(parent, new Set([...(siblings ?? []), path.basename(folder)]))
        awaited.add(folder)
      }
    }
    // one non-recursive watcher per folder: inotify on a folder reports its entries by name, so a
    // file an editor replaces (write to a temporary file, rename over) is still noticed
    const watching = new Map<string, fs.FSWatcher>()
    const watchFolder = (folder: string, names: Set<string> | "all") => {
      if (watching.has(folder) || ignored(folder + path.sep) || excluded(folder)) return
      try {
        const watcher = fs.watch(folder, (_event, name) => {
          if (name === null) return
          const file = path.join(folder, name.toString())
          const base = path.basename(file)
          if (names !== "all" && ![...names].some((n) => base === n || base.startsWith(`${n}.`))) return
          if ((names === "all" || awaited.has(file)) && isFolder(file) && !watching.has(file)) {
            watchTree(file)
            for (const inner of filesUnder(file)) notice(inner)
          }
          notice(file)
        })
        watcher.on("error", () => {
          watcher.close()
          watching.delete(folder)
        })
        watching.set(folder, watcher)
      } catch {
        // a folder that vanished between the check and the watch is not watched
      }
    }
    const watchTree = (folder: string): void => {
      watchFolder(folder, "all")
      let entries: Array<fs.Dirent> = []
      try {
        entries = fs.readdirSync(folder, { withFileTypes: true })
      } catch {
        return
      }
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") watchTree(path.join(folder, e.name))
    }
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        for (const [folder, names] of folders) {
          if (!isFolder(folder)) continue
          if (names === "all") watchTree(folder)
          else watchFolder(folder, names)
        }
      }),
      () =>
        Effect.sync(() => {
          if (timer !== undefined) clearTimeout(timer)
          for (const w of watching.values()) w.close()
        })
    )
    return { changes: queue, watched: watched as ReadonlyArray<Watched> }
  })
