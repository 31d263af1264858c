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
