import { Effect, Option, Schema } from "effect"
import { Permission } from "../../domain/Auth.js"
import { KeyNameTaken, StoreUnavailable } from "../../domain/Errors.js"
import { KeyStore, type StoredKey } from "../../ports/KeyStore.js"
import { type SqlClient, attemptWith } from "./SqlClient.js"

export const KEY_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS agentmap_api_keys (
    name TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    permissions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  )`
]

const decodePermissions = Schema.decodeUnknownSync(Schema.parseJson(Schema.Array(Permission)))
const text = (v: unknown) => (v === null || v === undefined ? null : String(v))

const toKey = (row: Record<string, unknown>): StoredKey => ({
  name: String(row["name"]),
  hash: String(row["key_hash"]),
  prefix: String(row["prefix"]),
  permissions: decodePermissions(row["permissions"]),
  created_at: String(row["created_at"]),
  last_used_at: text(row["last_used_at"]),
  revoked_at: text(row["revoked_at"])
})

/** API keys (hashes only) in the same SQL store as threads and checkpoints. */
export const make = (client: Effect.Effect<SqlClient, StoreUnavailable>, store: string) => {
  const attempt = attemptWith(client, store)
  const one = (what: string, sql: string, param: string) =>
    attempt(what, (c) => c.query(sql, [param])).pipe(Effect.map((rows) => (rows.length === 0 ? Option.none() : Option.some(toKey(rows[0]!)))))
  return KeyStore.of({
    create: (k) =>
      attempt("store the key", (sql) =>
        sql.execute(
          `INSERT INTO agentmap_api_keys (name, key_hash, prefix, permissions, created_at, last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING`,
          [k.name, k.hash, k.prefix, JSON.stringify(k.permissions), k.created_at, k.last_used_at, k.revoked_at]
        )
      ).pipe(
        Effect.filterOrFail(
          (changed) => changed === 1,
          () => new KeyNameTaken({ name: k.name, message: `an API key named '${k.name}' already exists; choose another name (or revoke it first)` })
        ),
        Effect.asVoid
      ),
    findByHash: (hash) => one("look up a key", `SELECT * FROM agentmap_api_keys WHERE key_hash = $1`, hash),
    findByName: (name) => one("look up a key", `SELECT * FROM agentmap_api_keys WHERE name = $1`, name),
    list: attempt("list keys", (sql) => sql.query(`SELECT * FROM agentmap_api_keys ORDER BY created_at`)).pipe(Effect.map((rows) => rows.map(toKey))),
    revoke: (name, at) =>
      attempt("revoke the key", (sql) => sql.execute(`UPDATE agentmap_api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE name = $2`, [at, name])).pipe(
        Effect.map((changed) => changed === 1)
      ),
    touch: (name, at) => attempt("record key use", (sql) => sql.execute(`UPDATE agentmap_api_keys SET last_used_at = $1 WHERE name = $2`, [at, name])).pipe(Effect.asVoid),
    anyActive: attempt("count keys", (sql) => sql.query(`SELECT 1 AS one FROM agentmap_api_keys WHERE revoked_at IS NULL LIMIT 1`)).pipe(Effect.map((rows) => rows.length > 0))
  })
}

/** In-process keys, for the memory backend. */
export const memory = () => {
  const keys = new Map<string, StoredKey>()
  const find = (p: (k: StoredKey) => boolean) => Effect.sync(() => Option.fromNullable([...keys.values()].find(p)))
  return KeyStore.of({
    create: (k) =>
      keys.has(k.name)
        ? Effect.fail(new KeyNameTaken({ name: k.name, message: `an API key named '${k.name}' already exists; choose another name (or revoke it first)` }))
        : Effect.sync(() => void keys.set(k.name, k)),
    findByHash: (hash) => find((k) => k.hash === hash),
    findByName: (name) => find((k) => k.name === name),
    list: Effect.sync(() => [...keys.values()]),
    revoke: (name, at) =>
      Effect.sync(() => {
        const k = keys.get(name)
        if (k === undefined) return false
        keys.set(name, { ...k, revoked_at: k.revoked_at ?? at })
        return true
      }),
    touch: (name, at) =>
      Effect.sync(() => {
        const k = keys.get(name)
        if (k !== undefined) keys.set(name, { ...k, last_used_at: at })
      }),
    anyActive: Effect.sync(() => [...keys.values()].some((k) => k.revoked_at === null))
  })
}
