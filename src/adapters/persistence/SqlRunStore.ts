import { Effect, Option, Schema } from "effect"
import { RunKwargs, type RunRecord, RunStatus, MultitaskStrategy } from "../../domain/BackgroundRun.js"
import type { StoreUnavailable } from "../../domain/Errors.js"
import { RunStore } from "../../ports/RunStore.js"
import { type SqlClient, attemptWith } from "./SqlClient.js"

export const RUN_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS agentmap_runs (
    run_id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL,
    assistant_id TEXT NOT NULL,
    status TEXT NOT NULL,
    metadata TEXT NOT NULL,
    kwargs TEXT NOT NULL,
    multitask_strategy TEXT NOT NULL,
    principal TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    error TEXT
  )`,
  `CREATE INDEX IF NOT EXISTS agentmap_runs_thread ON agentmap_runs (thread_id, created_ms)`
]

const decodeKwargs = Schema.decodeUnknownSync(Schema.parseJson(RunKwargs))
const decodeMetadata = Schema.decodeUnknownSync(Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown })))
const decodeStatus = Schema.decodeUnknownSync(RunStatus)
const decodeStrategy = Schema.decodeUnknownSync(MultitaskStrategy)

const toRecord = (row: Record<string, unknown>): RunRecord => ({
  run_id: String(row["run_id"]),
  thread_id: String(row["thread_id"]),
  assistant_id: String(row["assistant_id"]),
  status: decodeStatus(row["status"]),
  metadata: decodeMetadata(row["metadata"]),
  kwargs: decodeKwargs(row["kwargs"]),
  multitask_strategy: decodeStrategy(row["multitask_strategy"]),
  principal: row["principal"] === null || row["principal"] === undefined ? null : String(row["principal"]),
  created_at: String(row["created_at"]),
  updated_at: String(row["updated_at"]),
  error: row["error"] === null || row["error"] === undefined ? null : String(row["error"])
})

/** LangGraph-API runs on a SQL database (SQLite or PostgreSQL), next to the thread registry. */
export const make = (client: Effect.Effect<SqlClient, StoreUnavailable>, store: string) => {
  const attempt = attemptWith(client, store)
  return RunStore.of({
    create: (r) =>
      attempt("record the run", (sql) =>
        sql.execute(
          `INSERT INTO agentmap_runs (run_id, thread_id, assistant_id, status, metadata, kwargs, multitask_strategy, principal, created_at, updated_at, created_ms, error)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [r.run_id, r.thread_id, r.assistant_id, r.status, JSON.stringify(r.metadata), JSON.stringify(r.kwargs), r.multitask_strategy, r.principal, r.created_at, r.updated_at, Date.parse(r.created_at), r.error]
        )
      ).pipe(Effect.asVoid),
    get: (runId) =>
      attempt("read the run", (sql) => sql.query(`SELECT * FROM agentmap_runs WHERE run_id = $1`, [runId])).pipe(
        Effect.map((rows) => (rows.length === 0 ? Option.none() : Option.some(toRecord(rows[0]!))))
      ),
    listByThread: (threadId, page) =>
      attempt("list the thread's runs", (sql) =>
        page.status === undefined
          ? sql.query(`SELECT * FROM agentmap_runs WHERE thread_id = $1 ORDER BY created_ms DESC, run_id DESC LIMIT $2 OFFSET $3`, [threadId, page.limit, page.offset])
          : sql.query(`SELECT * FROM agentmap_runs WHERE thread_id = $1 AND status = $2 ORDER BY created_ms DESC, run_id DESC LIMIT $3 OFFSET $4`, [threadId, page.status, page.limit, page.offset])
      ).pipe(Effect.map((rows) => rows.map(toRecord))),
    transition: (runId, from, to, error) =>
      from.length === 0
        ? Effect.succeed(false)
        : attempt("update the run", (sql) =>
            sql.execute(
              `UPDATE agentmap_runs SET status = $1, error = $2, updated_at = $3 WHERE run_id = $4 AND status IN (${from.map((_, i) => `$${i + 5}`).join(", ")})`,
              [to, error ?? null, new Date().toISOString(), runId, ...from]
            )
          ).pipe(Effect.map((changed) => changed === 1)),
    remove: (runId) => attempt("delete the run", (sql) => sql.execute(`DELETE FROM agentmap_runs WHERE run_id = $1`, [runId])).pipe(Effect.asVoid),
    removeByThread: (threadId) => attempt("delete the thread's runs", (sql) => sql.execute(`DELETE FROM agentmap_runs WHERE thread_id = $1`, [threadId])).pipe(Effect.asVoid)
  })
}

/** The same store in this process's memory (persistence.backend: memory). */
export const memory = () => {
  const runs = new Map<string, RunRecord>()
  return RunStore.of({
    create: (r) => Effect.sync(() => void runs.set(r.run_id, r)),
    get: (runId) => Effect.sync(() => Option.fromNullable(runs.get(runId))),
    listByThread: (threadId, page) =>
      Effect.sync(() =>
        [...runs.values()]
          .filter((r) => r.thread_id === threadId && (page.status === undefined || r.status === page.status))
          .reverse()
          .slice(page.offset, page.offset + page.limit)
      ),
    transition: (runId, from, to, error) =>
      Effect.sync(() => {
        const r = runs.get(runId)
        if (r === undefined || !from.includes(r.status)) return false
        runs.set(runId, { ...r, status: to, error: error ?? null, updated_at: new Date().toISOString() })
        return true
      }),
    remove: (runId) => Effect.sync(() => void runs.delete(runId)),
    removeByThread: (threadId) =>
      Effect.sync(() => {
        for (const [id, r] of runs) if (r.thread_id === threadId) runs.delete(id)
      })
  })
}
