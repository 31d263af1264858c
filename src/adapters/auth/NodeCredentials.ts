import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { Clock, Effect, Layer, Redacted } from "effect"
import { Unauthenticated } from "../../domain/Errors.js"
import { Credentials } from "../../ports/Credentials.js"
import { type ClaimRules, jwtRefusal } from "./JwtRefusal.js"

export interface JwtOptions extends ClaimRules {
  /** HS256 shared secret. */
  readonly secret: Redacted.Redacted<string> | undefined
  /** JWKS URL for asymmetric keys (RS256, ES256, ...). */
  readonly jwksUrl: string | undefined
  /** Leeway for exp, nbf and iat against this machine's clock. */
  readonly clockToleranceSeconds: number
}

const KEY_PREFIX = "agm_"

/**
 * Keys are 32 random bytes; only their sha256 is stored (a key has far more entropy than a
 * password, so a slow hash would add latency without adding safety). JWTs are verified with jose.
 */
export const make = (jwt: JwtOptions) => {
  const hashKey = (key: string) => createHash("sha256").update(key).digest("hex")
  const sameHash = (a: string, b: string) => {
    const x = Buffer.from(a, "hex")
    const y = Buffer.from(b, "hex")
    return x.length === y.length && timingSafeEqual(x, y)
  }
  const jwtConfigured = jwt.secret !== undefined || jwt.jwksUrl !== undefined
  let jwks: ReturnType<typeof import("jose").createRemoteJWKSet> | undefined

  const verifyJwt = (token: string) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.tryPromise({
        try: async () => {
          const jose = await import("jose")
          const options = {
            ...(jwt.issuer !== undefined ? { issuer: jwt.issuer } : {}),
            ...(jwt.audience !== undefined ? { audience: jwt.audience } : {}),
            ...(jwt.requireExp ? { requiredClaims: ["exp"] } : {}),
            ...(jwt.maxAgeSeconds !== undefined ? { maxTokenAge: jwt.maxAgeSeconds } : {}),
            clockTolerance: jwt.clockToleranceSeconds,
            currentDate: new Date(now)
          }
          if (jwt.secret !== undefined) {
            const { payload } = await jose.jwtVerify(token, new TextEncoder().encode(Redacted.value(jwt.secret)), { ...options, algorithms: ["HS256"] })
            return payload as Record<string, unknown>
          }
          jwks ??= jose.createRemoteJWKSet(new URL(jwt.jwksUrl!))
          const { payload } = await jose.jwtVerify(token, jwks, options)
          return payload as Record<string, unknown>
        },
        catch: (e) => new Unauthenticated({ message: jwtRefusal(e, jwt, Math.floor(now / 1000)) })
      })
    )

  return Credentials.of({
    generateKey: Effect.sync(() => `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`),
    hashKey,
    sameHash,
    jwtConfigured,
    verifyJwt
  })
}

export const layer = (jwt: JwtOptions) => Layer.succeed(Credentials, make(jwt))
