import { Effect, Option, Schema } from "effect"
import { StoreUnavailable, ThreadExists } from "../../domain/Errors.js"
import { RunResult } from "../../domain/RunResult.js"
import { PendingInterrupt, Snapshot, type ThreadRecord, ThreadStatus } from "../../domain/Thread.js"
import { ThreadRegistry } from "../../ports/ThreadRegistry.js"
import { type SqlClient, attemptWith } from "./SqlClient.js"

export const REGISTRY_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS agentmap_threads (
    thread_id TEXT PRIMARY KEY,
    workflow TEXT NOT NULL,
    graph TEXT NOT NULL,
    csv_hash TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    input TEXT,
    status TEXT NOT NULL,
    interrupt_id TEXT,
    interrupt TEXT,
    principal TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_ms BIGINT NOT NULL,
    lease_owner TEXT,
    lease_expires_at BIGINT,
    result TEXT
  )`,
  `CREATE INDEX IF NOT EXISTS agentmap_threads_status ON agentmap_threads (status, updated_ms)`
]

/**
 * Brings a table an older AgentMap created up to date; run after REGISTRY_SCHEMA, under the
 * setup lock. Each step checks first, so running it again (or in two processes) is harmless.
 */
export const migrateRegistry = async (sql: SqlClient) => {
  const hasInput = () => sql.query(`SELECT input FROM agentmap_threads LIMIT 0`).then(() => true, () => false)
  if (await hasInput()) return
  await sql.execute(`ALTER TABLE agentmap_threads ADD COLUMN input TEXT`).catch(async (e: unknown) => {
    if (!(await hasInput())) throw e
  })
}

const decodeInput = Schema.decodeUnknownSync(Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown })))
const decodeSnapshot = Schema.decodeUnknownSync(Schema.parseJson(Snapshot))
const decodeInterrupt = Schema.decodeUnknownSync(Schema.parseJson(PendingInterrupt))
const decodeResult = Schema.decodeUnknownSync(Schema.parseJson(RunResult))
const decodeStatus = Schema.decodeUnknownSync(ThreadStatus)

const text = (v: unknown) => (v === null || v === undefined ? null : String(v))
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))

const toRecord = (row: Record<string, unknown>): ThreadRecord => ({
  thread_id: String(row["thread_id"]),
  workflow: String(row["workflow"]),
  graph: String(row["graph"]),
  csv_hash: String(row["csv_hash"]),
  snapshot: decodeSnapshot(row["snapshot"]),
  input: row["input"] === null || row["input"] === undefined ? null : decodeInput(row["input"]),
  status: decodeStatus(row["status"]),
  interrupt: row["interrupt"] === null || row["interrupt"] === undefined ? null : decodeInterrupt(row["interrupt"]),
  principal: text(row["principal"]),
  created_at: String(row["created_at"]),
  updated_at: String(row["updated_at"]),
  lease_owner: text(row["lease_owner"]),
  lease_expires_at: num(row["lease_expires_at"]),
  result: row["result"] === null || row["result"] === undefined ? null : decodeResult(row["result"])
})

/** The thread registry on a SQL database (SQLite or PostgreSQL), JSON in text columns. */
export const make = (client: Effect.Effect<SqlClient, StoreUnavailable>, store: string) => {
  const attempt = attemptWith(client, store)
  const nowIso = () => new Date().toISOString()

  return ThreadRegistry.of({
    create: (r) =>
      attempt("create the thread", (sql) =>
        sql.execute(
          `INSERT INTO agentmap_threads (thread_id, workflow, graph, csv_hash, snapshot, input, status, interrupt_id, interrupt, principal, created_at, updated_at, updated_ms, lease_owner, lease_expires_at, result)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (thread_id) DO NOTHING`,
          [
            r.thread_id,
            r.workflow,
            r.graph,
            r.csv_hash,
            JSON.stringify(r.snapshot),
            r.input === null ? null : JSON.stringify(r.input),
            r.status,
            r.interrupt?.id ?? null,
            r.interrupt === null ? null : JSON.stringify(r.interrupt),
            r.principal,
            r.created_at,
            r.updated_at,
            Date.parse(r.updated_at),
            r.lease_owner,
            r.lease_expires_at,
            r.result === null ? null : JSON.stringify(r.result)
          ]
        )
      ).pipe(
        Effect.filterOrFail(
          (changed) => changed === 1,
          () => new ThreadExists({ thread_id: r.thread_id, message: `thread id '${r.thread_id}' is already taken; choose another or leave it out` })
        ),
        Effect.asVoid
      ),
    get: (threadId) =>
      attempt("read the thread", (sql) => sql.query(`SELECT * FROM agentmap_threads WHERE thread_id = $1`, [threadId])).pipe(
        Effect.map((rows) => (rows.length === 0 ? Option.none() : Option.some(toRecord(rows[0]!))))
      ),
    list: (filter) =>
      attempt("list threads", (sql) =>
        filter.status === undefined
          ? sql.query(`SELECT * FROM agentmap_threads ORDER BY created_at DESC`)
          : sql.query(`SELECT * FROM agentmap_threads WHERE status = $1 ORDER BY created_at DESC`, [filter.status])
      ).pipe(Effect.map((rows) => rows.map(toRecord))),
    claim: (c) =>
      attempt("claim the thread", (sql) =>
        sql.execute(
          `UPDATE agentmap_threads SET status = 'running', lease_owner = $1, lease_expires_at = $2, updated_at = $3, updated_ms = $4
           WHERE thread_id = $5 AND ((status = 'suspended' AND interrupt_id = $6) OR (status = 'running' AND lease_expires_at < $7))`,
          [c.owner, c.lease_until, nowIso(), c.now, c.thread_id, c.interrupt_id ?? null, c.now]
        )
      ).pipe(Effect.map((changed) => changed === 1)),
    renew: (owner, leaseUntil) =>
      attempt("renew leases", (sql) =>
        sql.execute(`UPDATE agentmap_threads SET lease_expires_at = $1 WHERE lease_owner = $2 AND status = 'running'`, [leaseUntil, owner])
      ),
    finish: (threadId, owner, f) =>
      attempt("record the outcome", (sql) =>
        sql.execute(
          `UPDATE agentmap_threads SET status = $1, interrupt_id = $2, interrupt = $3, result = $4, lease_owner = NULL, lease_expires_at = NULL, updated_at = $5, updated_ms = $6
           WHERE thread_id = $7 AND lease_owner = $8`,
          [f.status, f.interrupt?.id ?? null, f.interrupt === null ? null : JSON.stringify(f.interrupt), JSON.stringify(f.result), nowIso(), Date.now(), threadId, owner]
        )
      ).pipe(Effect.map((changed) => changed === 1)),
    prunable: (before, includeSuspended) =>
      attempt("list prunable threads", (sql) =>
        sql.query(`SELECT thread_id FROM agentmap_threads WHERE updated_ms < $1 AND status IN ($2, $3, $4)`, [
          before,
          "completed",
          "failed",
          includeSuspended ? "suspended" : "completed"
        ])
      ).pipe(Effect.map((rows) => rows.map((r) => String(r["thread_id"])))),
    remove: (threadId) =>
      attempt("delete the thread", async (sql) => {
        await sql.execute(`DELETE FROM agentmap_threads WHERE thread_id = $1`, [threadId])
      })
  })
}
