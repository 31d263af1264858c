import { createRequire } from "node:module"
import * as path from "node:path"
import pg from "pg"
import { POSTGRES_URL } from "./postgres.js"

/** What a test reads of a thread straight from the store, while processes run it (no AgentMap in between). */
export interface StoreProbe {
  /** The thread row's status, or undefined while there is no row. */
  readonly status: (threadId: string) => Promise<string | undefined>
  readonly hasCheckpoint: (threadId: string) => Promise<boolean>
  readonly close: () => Promise<void>
}

/** The default SQLite store of a project folder (`.agentmap/agentmap.db`), read-only; it must exist already. */
export const sqliteProbe = (dir: string): StoreProbe => {
  const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3")
  const db = new Database(path.join(dir, ".agentmap", "agentmap.db"), { readonly: true, fileMustExist: true })
  const status = db.prepare<[string], { status: string }>("SELECT status FROM agentmap_threads WHERE thread_id = ?")
  // LangGraph creates its tables with the first checkpoint ever written
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints'")
  return {
    status: async (id) => status.get(id)?.status,
    hasCheckpoint: async (id) => hasTable.get() !== undefined && db.prepare("SELECT 1 FROM checkpoints WHERE thread_id = ? LIMIT 1").get(id) !== undefined,
    close: async () => void db.close()
  }
}

/** A PostgreSQL schema AgentMap has set up already. */
export const postgresProbe = async (schema: string): Promise<StoreProbe> => {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  return {
    status: async (id) => (await client.query<{ status: string }>(`SELECT status FROM ${schema}.agentmap_threads WHERE thread_id = $1`, [id])).rows[0]?.status,
    hasCheckpoint: async (id) => ((await client.query(`SELECT 1 FROM ${schema}.checkpoints WHERE thread_id = $1 LIMIT 1`, [id])).rowCount ?? 0) > 0,
    close: () => client.end()
  }
}
