import { Context, Effect, Layer } from "effect"
import type { Pool, PoolClient } from "pg"
import { StoreUnavailable } from "../../domain/Errors.js"
import { CheckpointStore } from "../../ports/CheckpointStore.js"
import { IdempotencyStore } from "../../ports/IdempotencyStore.js"
import { KeyStore } from "../../ports/KeyStore.js"
import { ThreadMetadata } from "../../ports/ThreadMetadata.js"
import { ThreadRegistry } from "../../ports/ThreadRegistry.js"
import { LangGraphSaver } from "./LangGraphSaver.js"
import { lazyResource } from "./LazyResource.js"
import type { SqlClient } from "./SqlClient.js"
import * as SqlKeyStore from "./SqlKeyStore.js"
import { KEY_SCHEMA } from "./SqlKeyStore.js"
import * as SqlThreadRegistry from "./SqlThreadRegistry.js"
import { REGISTRY_SCHEMA, migrateRegistry } from "./SqlThreadRegistry.js"
import * as SqlIdempotencyStore from "./SqlIdempotencyStore.js"
import { IDEMPOTENCY_SCHEMA } from "./SqlIdempotencyStore.js"
import * as SqlThreadMetadata from "./SqlThreadMetadata.js"
import { THREAD_METADATA_SCHEMA } from "./SqlThreadMetadata.js"
import * as SqlRunStore from "./SqlRunStore.js"
import { RUN_SCHEMA } from "./SqlRunStore.js"
import { RunStore } from "../../ports/RunStore.js"

export interface PostgresOptions {
  readonly url: string
  /** Schema for every table (checkpoints, threads, executions); created when missing. */
  readonly schema: string
  readonly connectTimeoutMillis: number
}

/** The URL without its password, for messages and logs. */
export const describeUrl = (url: string): string => {
  try {
    const u = new URL(url)
    return `postgres://${u.username ? `${u.username}@` : ""}${u.host}${u.pathname}`
  } catch {
    return "postgres (unparseable URL)"
  }
}

const SETUP_LOCK = 7_316_245_201

const clientOf = (pool: Pool): SqlClient => ({
  query: async (sql, params) => (await pool.query(sql, params as Array<unknown>)).rows as ReadonlyArray<Record<string, unknown>>,
  execute: async (sql, params) => (await pool.query(sql, params as Array<unknown>)).rowCount ?? 0,
  exclusive: async (work) => {
    const client: PoolClient = await pool.connect()
    try {
      await client.query("SELECT pg_advisory_lock($1)", [SETUP_LOCK])
      return await work()
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [SETUP_LOCK]).catch(() => undefined)
      client.release()
    }
  }
})

/**
 * Checkpoints (LangGraph's PostgresSaver), the thread registry and the execution log in one
 * PostgreSQL schema shared by every process: any of them resumes any thread. Tables are created
 * on first use under an advisory lock; an unreachable server fails within the connect timeout.
 */
export const layer = (options: PostgresOptions) =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const store = describeUrl(options.url)
      const unavailable = (e: unknown) =>
        new StoreUnavailable({ store, message: `PostgreSQL at ${store} cannot be used: ${e instanceof Error ? e.message : String(e)}` })
      const schema = options.schema.replace(/[^A-Za-z0-9_]/g, "")
      const connection = yield* lazyResource(
        async () => {
          const pg = (await import("pg")).default
          const pool = new pg.Pool({
            connectionString: options.url,
            connectionTimeoutMillis: options.connectTimeoutMillis,
            statement_timeout: 60_000,
            max: 10,
            options: `-c search_path=${schema}`
          })
          pool.on("error", () => undefined)
          try {
            const client = clientOf(pool)
            const { PostgresSaver } = await import("@langchain/langgraph-checkpoint-postgres")
            const saver = new PostgresSaver(pool, undefined, { schema })
            await client.exclusive(async () => {
              await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
              for (const statement of [...REGISTRY_SCHEMA, ...KEY_SCHEMA, ...IDEMPOTENCY_SCHEMA, ...THREAD_METADATA_SCHEMA, ...RUN_SCHEMA]) await pool.query(statement)
              await migrateRegistry(client)
              await saver.setup()
            })
            return { pool, client, saver }
          } catch (e) {
            await pool.end().catch(() => undefined)
            throw e
          }
        },
        async ({ pool }) => pool.end(),
        unavailable
      )
      const registry = SqlThreadRegistry.make(Effect.map(connection, (c) => c.client), store)
      const query = <A>(work: (c: Effect.Effect.Success<typeof connection>) => Promise<A>) =>
        Effect.flatMap(connection, (c) => Effect.tryPromise({ try: () => work(c), catch: unavailable }))
      const checkpoints = CheckpointStore.of({
        describe: store,
        has: (threadId) => query(async (c) => (await c.pool.query("SELECT 1 FROM checkpoints WHERE thread_id = $1 LIMIT 1", [threadId])).rowCount === 1),
        deleteThread: (threadId) =>
          query(async (c) => {
            await c.saver.deleteThread(threadId)
            const children = await c.pool.query("SELECT DISTINCT thread_id FROM checkpoints WHERE left(thread_id, $1) = $2", [threadId.length + 1, `${threadId}/`])
            for (const row of children.rows as ReadonlyArray<{ thread_id: string }>) await c.saver.deleteThread(row.thread_id)
          })
      })
      return Context.make(ThreadRegistry, registry)
        .pipe(Context.add(CheckpointStore, checkpoints))
        .pipe(Context.add(LangGraphSaver, { get: connection.pipe(Effect.map((c) => c.saver)), kind: "postgres" }))
        .pipe(Context.add(KeyStore, SqlKeyStore.make(Effect.map(connection, (c) => c.client), store)))
        .pipe(Context.add(IdempotencyStore, SqlIdempotencyStore.make(Effect.map(connection, (c) => c.client), store)))
        .pipe(Context.add(ThreadMetadata, SqlThreadMetadata.make(Effect.map(connection, (c) => c.client), store)))
        .pipe(Context.add(RunStore, SqlRunStore.make(Effect.map(connection, (c) => c.client), store)))
    })
  )
