import { Effect, Option, Schema } from "effect"
import { type StoreUnavailable, ThreadExists } from "../../domain/Errors.js"
import { StateVersion, type ThreadMeta, ThreadMetadata } from "../../ports/ThreadMetadata.js"
import { type SqlClient, attemptWith } from "./SqlClient.js"

export const THREAD_METADATA_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS agentmap_thread_metadata (
    thread_id TEXT PRIMARY KEY,
    metadata TEXT NOT NULL,
    principal TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    states TEXT NOT NULL
  )`
]

const decodeMetadata = Schema.decodeUnknownSync(Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown })))
const decodeStates = Schema.decodeUnknownSync(Schema.parseJson(Schema.Array(StateVersion)))

const toMeta = (row: Record<string, unknown>): ThreadMeta => ({
  thread_id: String(row["thread_id"]),
  metadata: decodeMetadata(row["metadata"]),
  principal: row["principal"] === null || row["principal"] === undefined ? null : String(row["principal"]),
  created_at: String(row["created_at"]),
  updated_at: String(row["updated_at"]),
  states: decodeStates(row["states"])
})

const values = (m: ThreadMeta) => [m.thread_id, JSON.stringify(m.metadata), m.principal, m.created_at, m.updated_at, JSON.stringify(m.states)]

const INSERT = `INSERT INTO agentmap_thread_metadata (thread_id, metadata, principal, created_at, updated_at, states) VALUES ($1, $2, $3, $4, $5, $6)`

/** Thread metadata on a SQL database (SQLite or PostgreSQL), next to the thread registry. */
export const make = (client: Effect.Effect<SqlClient, StoreUnavailable>, store: string) => {
  const attempt = attemptWith(client, store)
  return ThreadMetadata.of({
    create: (m) =>
      attempt("create the thread", (sql) => sql.execute(`${INSERT} ON CONFLICT (thread_id) DO NOTHING`, values(m))).pipe(
        Effect.filterOrFail(
          (changed) => changed === 1,
          () => new ThreadExists({ thread_id: m.thread_id, message: `thread id '${m.thread_id}' is already taken; choose another or leave it out` })
        ),
        Effect.asVoid
      ),
    get: (threadId) =>
      attempt("read the thread's metadata", (sql) => sql.query(`SELECT * FROM agentmap_thread_metadata WHERE thread_id = $1`, [threadId])).pipe(
        Effect.map((rows) => (rows.length === 0 ? Option.none() : Option.some(toMeta(rows[0]!))))
      ),
    list: attempt("list thread metadata", (sql) => sql.query(`SELECT * FROM agentmap_thread_metadata ORDER BY created_at DESC`)).pipe(
      Effect.map((rows) => rows.map(toMeta))
    ),
    put: (m) =>
      attempt("write the thread's metadata", (sql) =>
        sql.execute(
          `${INSERT} ON CONFLICT (thread_id) DO UPDATE SET metadata = excluded.metadata, principal = excluded.principal, updated_at = excluded.updated_at, states = excluded.states`,
          values(m)
        )
      ).pipe(Effect.asVoid),
    remove: (threadId) =>
      attempt("delete the thread's metadata", (sql) => sql.execute(`DELETE FROM agentmap_thread_metadata WHERE thread_id = $1`, [threadId])).pipe(Effect.asVoid)
  })
}

/** In this process's memory (the memory backend). */
export const memory = () => {
  const rows = new Map<string, ThreadMeta>()
  return ThreadMetadata.of({
    create: (m) =>
      rows.has(m.thread_id)
        ? Effect.fail(new ThreadExists({ thread_id: m.thread_id, message: `thread id '${m.thread_id}' is already taken; choose another or leave it out` }))
        : Effect.sync(() => void rows.set(m.thread_id, m)),
    get: (threadId) => Effect.sync(() => Option.fromNullable(rows.get(threadId))),
    list: Effect.sync(() => [...rows.values()].sort((a, b) => b.created_at.localeCompare(a.created_at))),
    put: (m) => Effect.sync(() => void rows.set(m.thread_id, m)),
    remove: (threadId) => Effect.sync(() => void rows.delete(threadId))
  })
}
