import { Worker } from "node:worker_threads"
import type BetterSqlite3 from "better-sqlite3"

/**
 * WAL checkpoints off the event loop, for processes that serve many runs. SQLite's automatic
 * checkpoint runs inside the commit that crosses 1000 WAL pages: it copies them into the database
 * file and syncs it, ~10 ms during which a server answers nobody. Here the committing connection
 * never checkpoints by itself; a worker thread with its own connection copies and syncs in the
 * background (PASSIVE: it never blocks the writer). The WAL file can only start over once every
 * frame is copied back, which a background copy racing new commits rarely achieves, so once the
 * WAL is past `restartFrames` this thread copies the few frames the worker has not (right after
 * one of its commits, so nothing is appended meanwhile) and the next commit rewinds the WAL.
 */
export interface WalCheckpoints {
  /** Called after each commit of the main connection. */
  readonly committed: () => void
  readonly close: () => Promise<void>
}

interface Outcome {
  readonly log?: number
  readonly checkpointed?: number
  readonly error?: string
}

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads")
const Database = require(workerData.driver)
const db = new Database(workerData.file, { timeout: 0 })
parentPort.on("message", (m) => {
  if (m === "close") {
    db.close()
    parentPort.close()
    return
  }
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)")
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed })
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) })
  }
})
`

export interface WalCheckpointOptions {
  /** Ask for a background checkpoint after this many commits (default 64). */
  readonly everyCommits?: number
  /**
   * Past this many WAL frames, finish the checkpoint here so the WAL starts over (default 16384:
   * 64 MiB of 4 KiB pages). That finishing checkpoint syncs the files on this thread (5-15 ms), so it
   * should be rare: under steady load it comes once per ~16000 pages written.
   */
  readonly restartFrames?: number
  /** A worker silent for this many commits (starting, or stuck) is not waited for: checkpoint here (default 1024). */
  readonly maxUnreported?: number
}

export const walCheckpoints = (db: BetterSqlite3.Database, file: string, driver: string, options: WalCheckpointOptions = {}): WalCheckpoints => {
  const everyCommits = options.everyCommits ?? 64
  const restartFrames = options.restartFrames ?? 16384
  const maxUnreported = options.maxUnreported ?? 1024
  db.pragma("wal_autocheckpoint = 0")
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver } })
  worker.unref()
  let commits = 0
  let unreported = 0
  let inFlight = false
  let restartDue = false
  let restartAt = restartFrames
  let failed = false
  worker.on("message", (o: Outcome) => {
    inFlight = false
    // a checkpoint that failed is no report: if they keep failing, this thread checkpoints itself
    if (o.error !== undefined) return
    unreported = 0
    // `log` is the WAL as the checkpoint found it: commits since then are not copied yet, and
    // copying them right after one of this thread's commits lets the next one rewind the WAL
    // (nothing left to copy costs nothing: no copy, no sync). Another process's reads or writes
    // can keep it from rewinding: then try again only after another `restartFrames` of growth
    const log = o.log ?? 0
    if (log + restartFrames < restartAt) restartAt = log + restartFrames
    if (log >= restartAt) {
      restartDue = true
      restartAt = log + restartFrames
    }
  })
  // a checkpointer that cannot run must not let the WAL grow without bound: back to SQLite's own
  const fallBack = () => {
    if (failed) return
    failed = true
    try {
      db.pragma("wal_autocheckpoint = 1000")
    } catch {}
  }
  worker.on("error", fallBack)
  worker.on("exit", fallBack)
  return {
    committed: () => {
      if (failed) return
      if ((restartDue && !inFlight) || ++unreported > maxUnreported) {
        restartDue = false
        unreported = 0
        commits = 0
        // best effort, like SQLite's own: the commit is done and the WAL still holds every frame
        try {
          db.pragma("wal_checkpoint(PASSIVE)")
        } catch {}
        return
      }
      if (++commits < everyCommits || inFlight) return
      commits = 0
      inFlight = true
      worker.postMessage(0)
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (failed) return resolve()
        failed = true
        const stop = setTimeout(() => void worker.terminate(), 5000)
        worker.once("exit", () => {
          clearTimeout(stop)
          resolve()
        })
        worker.postMessage("close")
      })
  }
}
