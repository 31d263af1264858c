import { Effect } from "effect"
import { StoreUnavailable } from "../../domain/Errors.js"

/**
 * The little SQL the registry needs, over better-sqlite3 and pg alike. Statements are written
 * with `$1, $2, ...` placeholders, each used once and in order.
 */
export interface SqlClient {
  readonly query: (sql: string, params?: ReadonlyArray<unknown>) => Promise<ReadonlyArray<Record<string, unknown>>>
  /** Runs a statement and returns how many rows it changed. */
  readonly execute: (sql: string, params?: ReadonlyArray<unknown>) => Promise<number>
  /** Runs statements that must not interleave with another process doing the same (schema setup). */
  readonly exclusive: <A>(work: () => Promise<A>) => Promise<A>
}

/** Runs work on the client; any failure is the store being unavailable, saying what could not be done. */
export const attemptWith =
  (client: Effect.Effect<SqlClient, StoreUnavailable>, store: string) =>
  <A>(what: string, work: (sql: SqlClient) => Promise<A>): Effect.Effect<A, StoreUnavailable> =>
    Effect.flatMap(client, (sql) =>
      Effect.tryPromise({
        try: () => work(sql),
        catch: (e) => new StoreUnavailable({ store, message: `${store}: cannot ${what}: ${e instanceof Error ? e.message : String(e)}` })
      })
    )
