import { Context, Effect, Layer } from "effect"
import { StoreUnavailable } from "../../domain/Errors.js"
import { CheckpointStore } from "../../ports/CheckpointStore.js"
import { IdempotencyStore } from "../../ports/IdempotencyStore.js"
import { KeyStore } from "../../ports/KeyStore.js"
import { ThreadMetadata } from "../../ports/ThreadMetadata.js"
import { ThreadRegistry } from "../../ports/ThreadRegistry.js"
import { LangGraphSaver } from "./LangGraphSaver.js"
import type { GroupCommit } from "./GroupCommit.js"
import { openSqlite } from "./SqliteConnection.js"
import { KEY_VERSION, KEY_VERSION_SCHEMA, cachedKeyStore } from "./SqliteKeyCache.js"
import { lazyResource } from "./LazyResource.js"
import { type PreparedStatements, preparedStatements } from "./PreparedStatements.js"
import type { SqlClient } from "./SqlClient.js"
import * as SqlKeyStore from "./SqlKeyStore.js"
import { KEY_SCHEMA } from "./SqlKeyStore.js"
import * as SqlThreadRegistry from "./SqlThreadRegistry.js"
import { REGISTRY_SCHEMA, migrateRegistry } from "./SqlThreadRegistry.js"
import * as SqlIdempotencyStore from "./SqlIdempotencyStore.js"
import * as SqlRunStore from "./SqlRunStore.js"
import { RUN_SCHEMA } from "./SqlRunStore.js"
import { RunStore } from "../../ports/RunStore.js"
import { IDEMPOTENCY_SCHEMA } from "./SqlIdempotencyStore.js"
import * as SqlThreadMetadata from "./SqlThreadMetadata.js"
import { THREAD_METADATA_SCHEMA } from "./SqlThreadMetadata.js"

export interface SqliteOptions {
  /** The database file (default `<paths.cache>/agentmap.db`). */
  readonly path: string
  /** A process serving many runs: WAL checkpoints run in a background thread (see WalCheckpoints). */
  readonly backgroundCheckpoints?: boolean
}

const placeholders = (sql: string) => sql.replace(/\$\d+/g, "?")
const bind = (params: ReadonlyArray<unknown> = []) => params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p))

const clientOf = (prepared: PreparedStatements, writes: GroupCommit): SqlClient => {
  const statement = (sql: string) => prepared(placeholders(sql))
  return {
    query: async (sql, params) => {
      writes.flush()
      return statement(sql).all(...bind(params)) as ReadonlyArray<Record<string, unknown>>
    },
    execute: (sql, params) => writes.write(() => statement(sql).run(...bind(params)).changes),
    // one connection per process and SQLite's own file locking: statements do not interleave
    exclusive: (work) => {
      writes.flush()
      return work()
    }
  }
}

/**
 * Checkpoints (LangGraph's SqliteSaver), the thread registry and the execution log in one SQLite
 * file, one connection per process. WAL mode lets several processes share it; a process killed
 * mid-run loses nothing that was committed.
 */
export const layer = (options: SqliteOptions) =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const store = `sqlite:${options.path}`
      const unavailable = (e: unknown) => new StoreUnavailable({ store, message: `${store}: ${e instanceof Error ? e.message : String(e)}` })
      const connection = yield* lazyResource(
        async () => {
          const { db, writes, checkpointInBackground, close } = openSqlite(options.path)
          const statements = preparedStatements(db)
          const client = clientOf(statements, writes)
          for (const statement of [...REGISTRY_SCHEMA, ...KEY_SCHEMA, ...KEY_VERSION_SCHEMA, ...IDEMPOTENCY_SCHEMA, ...THREAD_METADATA_SCHEMA, ...RUN_SCHEMA]) await client.execute(statement)
          await migrateRegistry(client)
          const { GroupCommitSqliteSaver } = await import("./GroupCommitSqliteSaver.js")
          // started once the store is usable, so a failed open leaves no thread behind
          if (options.backgroundCheckpoints === true) checkpointInBackground()
          return { db, close, writes, client, saver: new GroupCommitSqliteSaver(db, writes, statements), keyVersion: db.prepare<[], { version: number }>(KEY_VERSION) }
        },
        (c) => c.close(),
        unavailable
      )
      // read directly, without running pending writes first: this process's own key writes clear the cache themselves
      const keyVersion = Effect.flatMap(connection, (c) => Effect.try({ try: () => c.keyVersion.get()?.version ?? 0, catch: unavailable }))
      const registry = SqlThreadRegistry.make(Effect.map(connection, (c) => c.client), store)
      const checkpoints = CheckpointStore.of({
        describe: store,
        has: (threadId) =>
          connection.pipe(
            Effect.flatMap((c) =>
              Effect.try({
                try: () => {
                  c.writes.flush()
                  const exists = c.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints'").get()
                  return exists !== undefined && c.db.prepare("SELECT 1 FROM checkpoints WHERE thread_id = ? LIMIT 1").get(threadId) !== undefined
                },
                catch: unavailable
              })
            )
          ),
        deleteThread: (threadId) =>
          connection.pipe(
            Effect.flatMap((c) =>
              Effect.tryPromise({
                try: async () => {
                  await c.saver.deleteThread(threadId)
                  const children = c.db
                    .prepare("SELECT DISTINCT thread_id FROM checkpoints WHERE substr(thread_id, 1, ?) = ?")
                    .all(threadId.length + 1, `${threadId}/`) as ReadonlyArray<{ thread_id: string }>
                  for (const child of children) await c.saver.deleteThread(child.thread_id)
                },
                catch: unavailable
              })
            )
          )
      })
      return Context.make(ThreadRegistry, registry)
        .pipe(Context.add(CheckpointStore, checkpoints))
        .pipe(Context.add(LangGraphSaver, { get: connection.pipe(Effect.map((c) => c.saver)), kind: "sqlite" }))
        .pipe(Context.add(KeyStore, cachedKeyStore(SqlKeyStore.make(Effect.map(connection, (c) => c.client), store), keyVersion)))
        .pipe(Context.add(IdempotencyStore, SqlIdempotencyStore.make(Effect.map(connection, (c) => c.client), store)))
        .pipe(Context.add(ThreadMetadata, SqlThreadMetadata.make(Effect.map(connection, (c) => c.client), store)))
        .pipe(Context.add(RunStore, SqlRunStore.make(Effect.map(connection, (c) => c.client), store)))
    })
  )
