import * as fs from "node:fs"
import { createRequire } from "node:module"
import { Effect, Option } from "effect"
import { type Check, ok, warn } from "../../domain/Diagnosis.js"
import { type QueueStats, RunQueue } from "../../ports/RunQueue.js"
import type { AppConfig } from "../config/AppConfig.js"
import { graphileSchema } from "../queue/PostgresRunQueue.js"
import * as PgSql from "../queue/PostgresQueueSql.js"
import * as SqliteSql from "../queue/SqliteQueueSql.js"

export interface QueueReport extends QueueStats {
  readonly backend: AppConfig["persistence"]["backend"]
  readonly max_pending: number
  readonly concurrency: number
  readonly error?: string
}

const EMPTY: QueueStats = { pending: 0, in_flight: 0, oldest_wait_ms: 0 }

/** Read-only: a queue not created yet is empty (diagnose creates no table and runs no migration). */
const readSqlite = (file: string): QueueStats => {
  if (!fs.existsSync(file)) return EMPTY
  const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3")
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 2000 })
  try {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'agentmap_run_queue'").get() === undefined) return EMPTY
    const row = db.prepare(SqliteSql.stats).get({ now: Date.now() }) as Record<string, unknown>
    return { pending: Number(row["pending"]), in_flight: Number(row["in_flight"]), oldest_wait_ms: Number(row["oldest_wait_ms"]) }
  } finally {
    db.close()
  }
}

const readPostgres = async (p: AppConfig["persistence"]): Promise<QueueStats> => {
  const pg = (await import("pg")).default
  const client = new pg.Client({ connectionString: p.postgresUrl ?? "", connectionTimeoutMillis: p.connectTimeoutMillis, query_timeout: p.connectTimeoutMillis })
  client.on("error", () => undefined)
  const schema = graphileSchema(p.postgresSchema)
  try {
    await client.connect()
    const exists = (await client.query("SELECT to_regclass($1) IS NOT NULL AS present", [`${schema}._private_jobs`])).rows[0] as { present: boolean }
    if (!exists.present) return EMPTY
    const row = (await client.query(PgSql.stats(schema))).rows[0] as Record<string, unknown>
    return { pending: Number(row["pending"]), in_flight: Number(row["in_flight"]), oldest_wait_ms: Number(row["oldest_wait_ms"]) }
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** The background-run queue: its backend, waiting and in-flight runs and the oldest wait. */
export const checkQueue = (config: AppConfig): Effect.Effect<{ readonly report: QueueReport; readonly check: Check }> => {
  const p = config.persistence
  const base = { backend: p.backend, max_pending: config.queue.maxPending, concurrency: config.queue.concurrency }
  const read: Effect.Effect<QueueStats, unknown> =
    p.backend === "sqlite"
      ? Effect.try(() => readSqlite(p.sqlitePath))
      : p.backend === "postgres"
        ? Effect.tryPromise(() => readPostgres(p))
        : Effect.flatMap(Effect.serviceOption(RunQueue), Option.match({ onNone: () => Effect.succeed(EMPTY), onSome: (q) => q.stats }))
  const where = p.backend === "postgres" ? `postgres (graphile-worker, schema ${graphileSchema(p.postgresSchema)})` : p.backend === "sqlite" ? `sqlite (${p.sqlitePath})` : "memory (this process only)"
  return read.pipe(
    Effect.map((stats) => ({
      report: { ...base, ...stats },
      check: ok("queue", "background runs", `${where}: ${stats.pending} pending, ${stats.in_flight} in flight, oldest wait ${(stats.oldest_wait_ms / 1000).toFixed(1)} s (max_pending ${base.max_pending})`)
    })),
    Effect.catchAll((e) => {
      const message = e instanceof Error ? e.message : typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e)
      return Effect.succeed({
        report: { ...base, ...EMPTY, error: message },
        check: warn("queue", "background runs", `${where}: cannot be read: ${message}`, "see the persistence check: the queue lives in the same store")
      })
    })
  )
}
