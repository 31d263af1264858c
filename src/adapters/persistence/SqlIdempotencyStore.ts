import { Effect, Schema } from "effect"
import { StoreUnavailable } from "../../domain/Errors.js"
import { RunResult } from "../../domain/RunResult.js"
import { type Claimed, IdempotencyStore } from "../../ports/IdempotencyStore.js"
import { type SqlClient, attemptWith } from "./SqlClient.js"

export const IDEMPOTENCY_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS agentmap_deliveries (
    message_key TEXT PRIMARY KEY,
    claimed_ms BIGINT NOT NULL,
    result TEXT
  )`
]

const decodeResult = Schema.decodeUnknownSync(Schema.parseJson(RunResult))

/** Message ids already handled, one row each: claimed by an INSERT that only one delivery wins. */
export const make = (client: Effect.Effect<SqlClient, StoreUnavailable>, store: string) => {
  const attempt = attemptWith(client, store)

  const claim = (key: string, now: number, staleAfterMillis: number) =>
    attempt("claim the message", async (sql): Promise<Claimed> => {
      if ((await sql.execute(`INSERT INTO agentmap_deliveries (message_key, claimed_ms, result) VALUES ($1, $2, NULL) ON CONFLICT (message_key) DO NOTHING`, [key, now])) === 1)
        return { _tag: "New" }
      // a claim that never finished (its process died) is taken over once it is stale
      if ((await sql.execute(`UPDATE agentmap_deliveries SET claimed_ms = $1 WHERE message_key = $2 AND result IS NULL AND claimed_ms < $3`, [now, key, now - staleAfterMillis])) === 1)
        return { _tag: "New" }
      const rows = await sql.query(`SELECT result FROM agentmap_deliveries WHERE message_key = $1`, [key])
      const result = rows[0]?.["result"]
      if (rows.length === 0) return { _tag: "Running" }
      return result === null || result === undefined ? { _tag: "Running" } : { _tag: "Done", result: decodeResult(result) }
    })

  return IdempotencyStore.of({
    claim,
    complete: (key, result) =>
      attempt("record the message's result", (sql) => sql.execute(`UPDATE agentmap_deliveries SET result = $1 WHERE message_key = $2`, [JSON.stringify(result), key])).pipe(Effect.asVoid),
    release: (key) => attempt("release the message", (sql) => sql.execute(`DELETE FROM agentmap_deliveries WHERE message_key = $1 AND result IS NULL`, [key])).pipe(Effect.asVoid)
  })
}
