import { Effect, type Option } from "effect"
import type { StoreUnavailable } from "../../domain/Errors.js"
import { KeyStore, type StoredKey } from "../../ports/KeyStore.js"

/**
 * A counter that every change to a key's hash, permissions or revocation moves, whoever makes it
 * (the CLI, another server process, SQL by hand): triggers, so it moves in the same transaction.
 */
export const KEY_VERSION_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS agentmap_key_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`,
  `INSERT OR IGNORE INTO agentmap_key_version (id, version) VALUES (1, 0)`,
  ...[
    ["inserted", "AFTER INSERT ON agentmap_api_keys"],
    ["changed", "AFTER UPDATE OF key_hash, permissions, revoked_at ON agentmap_api_keys"],
    ["deleted", "AFTER DELETE ON agentmap_api_keys"]
  ].map(
    ([name, event]) =>
      `CREATE TRIGGER IF NOT EXISTS agentmap_api_keys_${name} ${event} BEGIN UPDATE agentmap_key_version SET version = version + 1 WHERE id = 1; END`
  )
]
export const KEY_VERSION = `SELECT version FROM agentmap_key_version WHERE id = 1`

/**
 * Key lookups answered from memory while no key has changed: the version above moves with every
 * change (the CLI revoking a key, another server process), and this process's own key writes
 * clear the cache, so a revoked key is refused on the next request as before, with one tiny read
 * per request instead of a lookup (and other processes' thread writes do not empty the cache).
 */
export const cachedKeyStore = (keys: KeyStore["Type"], keyVersion: Effect.Effect<number, StoreUnavailable>): KeyStore["Type"] => {
  let version = -1
  const found = new Map<string, Option.Option<StoredKey>>()
  const cleared = <A, E>(write: Effect.Effect<A, E>) => Effect.ensuring(write, Effect.sync(() => found.clear()))
  return KeyStore.of({
    ...keys,
    findByHash: (hash) =>
      Effect.flatMap(keyVersion, (now) => {
        if (now !== version) {
          found.clear()
          version = now
        }
        const hit = found.get(hash)
        if (hit !== undefined) return Effect.succeed(hit)
        return Effect.tap(keys.findByHash(hash), (answer) =>
          Effect.sync(() => {
            // a lookup that raced a change is not kept
            if (version === now && found.size < 1024) found.set(hash, answer)
          })
        )
      }),
    create: (key) => cleared(keys.create(key)),
    revoke: (name, at) => cleared(keys.revoke(name, at)),
    touch: (name, at) => cleared(keys.touch(name, at))
  })
}
