import { Effect, type Option } from "effect"
import type { StoreUnavailable } from "../../domain/Errors.js"
import { KeyStore, type StoredKey } from "../../ports/KeyStore.js"

/**
 * Key lookups answered from memory while the database file is unchanged by anyone else:
 * SQLite's `data_version` moves whenever another connection (the CLI revoking a key, another
 * server process) commits, and this process's own key writes clear the cache, so a revoked key
 * is refused on the next request as before, without a query on every request.
 */
export const cachedKeyStore = (keys: KeyStore["Type"], dataVersion: Effect.Effect<number, StoreUnavailable>): KeyStore["Type"] => {
  let version = -1
  const found = new Map<string, Option.Option<StoredKey>>()
  const cleared = <A, E>(write: Effect.Effect<A, E>) => Effect.ensuring(write, Effect.sync(() => found.clear()))
  return KeyStore.of({
    ...keys,
    findByHash: (hash) =>
      Effect.flatMap(dataVersion, (now) => {
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
