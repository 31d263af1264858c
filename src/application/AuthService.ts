import { Clock, Context, Effect, Layer, Option } from "effect"
import { type ApiKeyInfo, DEFAULT_KEY_PERMISSIONS, type Permission, PERMISSIONS, type Principal, permissionsFromClaims } from "../domain/Auth.js"
import { InvalidRequest, type KeyNameTaken, KeyNotFound, type StoreUnavailable, Unauthenticated } from "../domain/Errors.js"
import { Credentials } from "../ports/Credentials.js"
import { KeyStore, type StoredKey } from "../ports/KeyStore.js"

export interface NewKey {
  readonly name: string
  /** Shown once; only its hash is stored. */
  readonly key: string
  readonly permissions: ReadonlyArray<Permission>
}

/** What a request presented: an `X-API-Key` header and/or an `Authorization: Bearer` token. */
export interface Presented {
  readonly apiKey: string | undefined
  readonly bearer: string | undefined
}

const KEY_NAME = /^[A-Za-z0-9_.-]{1,64}$/
const TOUCH_EVERY_MS = 60_000

const info = ({ hash: _hash, ...rest }: StoredKey): ApiKeyInfo => rest

/** API keys and JWTs: creating, listing, revoking keys, and turning credentials into a principal. */
export class AuthService extends Context.Tag("agentmap/AuthService")<
  AuthService,
  {
    readonly generateKey: (name: string, permissions: ReadonlyArray<string>) => Effect.Effect<NewKey, KeyNameTaken | InvalidRequest | StoreUnavailable>
    readonly listKeys: Effect.Effect<ReadonlyArray<ApiKeyInfo>, StoreUnavailable>
    /** By name, or by the key itself. */
    readonly revokeKey: (nameOrKey: string) => Effect.Effect<ApiKeyInfo, KeyNotFound | StoreUnavailable>
    readonly authenticate: (presented: Presented) => Effect.Effect<Principal, Unauthenticated | StoreUnavailable>
    /** Whether anyone could authenticate: an active key exists, or JWTs are configured. */
    readonly canAuthenticate: Effect.Effect<boolean, StoreUnavailable>
  }
>() {}

export const layer = Layer.effect(
  AuthService,
  Effect.gen(function* () {
    const store = yield* KeyStore
    const credentials = yield* Credentials
    const lastTouched = new Map<string, number>()
    const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

    const generateKey = (name: string, requested: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        if (!KEY_NAME.test(name)) return yield* Effect.fail(new InvalidRequest({ message: `key name '${name}' must be 1-64 letters, digits, '_', '-' or '.'` }))
        const unknown = requested.filter((p) => !(PERMISSIONS as ReadonlyArray<string>).includes(p))
        if (unknown.length > 0)
          return yield* Effect.fail(new InvalidRequest({ message: `unknown permission${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}: use ${PERMISSIONS.join(", ")}` }))
        const permissions = (requested.length === 0 ? DEFAULT_KEY_PERMISSIONS : [...new Set(requested)]) as ReadonlyArray<Permission>
        const key = yield* credentials.generateKey
        yield* store.create({
          name,
          hash: credentials.hashKey(key),
          prefix: key.slice(0, 12),
          permissions,
          created_at: yield* nowIso,
          last_used_at: null,
          revoked_at: null
        })
        return { name, key, permissions }
      })

    const revokeKey = (nameOrKey: string) =>
      Effect.gen(function* () {
        const byName = yield* store.findByName(nameOrKey)
        const found = Option.isSome(byName) ? byName : yield* store.findByHash(credentials.hashKey(nameOrKey))
        if (Option.isNone(found)) return yield* Effect.fail(new KeyNotFound({ key: nameOrKey.startsWith("agm_") ? `${nameOrKey.slice(0, 12)}…` : nameOrKey, message: "no API key with that name or value" }))
        const at = yield* nowIso
        yield* store.revoke(found.value.name, at)
        return info({ ...found.value, revoked_at: found.value.revoked_at ?? at })
      })

    const fromKey = (key: string) =>
      Effect.gen(function* () {
        const hash = credentials.hashKey(key)
        const found = yield* store.findByHash(hash)
        if (Option.isNone(found) || !credentials.sameHash(found.value.hash, hash)) return yield* Effect.fail(new Unauthenticated({ message: "invalid API key" }))
        if (found.value.revoked_at !== null) return yield* Effect.fail(new Unauthenticated({ message: "this API key was revoked" }))
        const now = yield* Clock.currentTimeMillis
        if (now - (lastTouched.get(found.value.name) ?? 0) > TOUCH_EVERY_MS) {
          lastTouched.set(found.value.name, now)
          yield* store.touch(found.value.name, new Date(now).toISOString())
        }
        return { id: `key:${found.value.name}`, permissions: new Set(found.value.permissions) } satisfies Principal
      })

    const fromJwt = (token: string) =>
      credentials.verifyJwt(token).pipe(
        Effect.flatMap((claims) =>
          typeof claims["sub"] === "string" && claims["sub"] !== ""
            ? Effect.succeed({ id: `jwt:${claims["sub"]}`, permissions: permissionsFromClaims(claims) } satisfies Principal)
            : Effect.fail(new Unauthenticated({ message: "the token has no subject (sub)" }))
        )
      )

    const authenticate = (presented: Presented): Effect.Effect<Principal, Unauthenticated | StoreUnavailable> => {
      if (presented.apiKey !== undefined && presented.apiKey !== "") return fromKey(presented.apiKey)
      const bearer = presented.bearer
      if (bearer === undefined || bearer === "")
        return Effect.fail(new Unauthenticated({ message: "authentication required: send an X-API-Key header or Authorization: Bearer <key or token>" }))
      if (bearer.startsWith("agm_")) return fromKey(bearer)
      if (!credentials.jwtConfigured) return Effect.fail(new Unauthenticated({ message: "invalid bearer credentials: this server accepts API keys only" }))
      return fromJwt(bearer)
    }

    return {
      generateKey,
      listKeys: Effect.map(store.list, (keys) => keys.map(info)),
      revokeKey,
      authenticate,
      canAuthenticate: credentials.jwtConfigured ? Effect.succeed(true) : store.anyActive
    }
  })
)
