import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { type GroupCommit, groupCommit } from "./GroupCommit.js"
import { type WalCheckpoints, walCheckpoints } from "./WalCheckpoints.js"

export interface SqliteConnection {
  readonly db: import("better-sqlite3").Database
  /** Writes from concurrent runs (checkpoints, threads, keys) share a commit. */
  readonly writes: GroupCommit
  /** From now on, WAL checkpoints run in a background thread (long-lived processes; see WalCheckpoints). */
  readonly checkpointInBackground: () => void
  readonly close: () => Promise<void>
}

/** The one SQLite connection of a process as AgentMap opens it: WAL, NORMAL syncs, writes through a group commit. */
export const openSqlite = (file: string): SqliteConnection => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const require = createRequire(import.meta.url)
  const Database = require("better-sqlite3") as typeof import("better-sqlite3")
  const db = new Database(file, { timeout: 5000 })
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  let wal: WalCheckpoints | undefined
  const writes = groupCommit((work) => {
    db.transaction(work)()
    wal?.committed()
  })
  return {
    db,
    writes,
    checkpointInBackground: () => {
      wal ??= walCheckpoints(db, file, require.resolve("better-sqlite3"))
    },
    close: async () => {
      await wal?.close()
      db.close()
    }
  }
}
