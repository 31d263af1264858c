import { Context, type Effect, type Option } from "effect"
import type { ApiKeyInfo } from "../domain/Auth.js"
import type { KeyNameTaken, StoreUnavailable } from "../domain/Errors.js"

export interface StoredKey extends ApiKeyInfo {
  /** sha256 of the key, hex: the key itself is never stored. */
  readonly hash: string
}

/** API keys in the persistence backend (shared by every server process). */
export class KeyStore extends Context.Tag("agentmap/KeyStore")<
  KeyStore,
  {
    readonly create: (key: StoredKey) => Effect.Effect<void, KeyNameTaken | StoreUnavailable>
    readonly findByHash: (hash: string) => Effect.Effect<Option.Option<StoredKey>, StoreUnavailable>
    readonly findByName: (name: string) => Effect.Effect<Option.Option<StoredKey>, StoreUnavailable>
    readonly list: Effect.Effect<ReadonlyArray<StoredKey>, StoreUnavailable>
    /** Marks the key revoked (kept for the record); false when there is no such key. */
    readonly revoke: (name: string, at: string) => Effect.Effect<boolean, StoreUnavailable>
    readonly touch: (name: string, at: string) => Effect.Effect<void, StoreUnavailable>
    /** Whether any usable (not revoked) key exists. */
    readonly anyActive: Effect.Effect<boolean, StoreUnavailable>
  }
>() {}
