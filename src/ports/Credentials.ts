import { Context, type Effect } from "effect"
import type { Unauthenticated } from "../domain/Errors.js"

/** Key material and token checks (hashing, random keys, constant-time comparison, JWT verification). */
export class Credentials extends Context.Tag("agentmap/Credentials")<
  Credentials,
  {
    /** A new random API key (`agm_...`). */
    readonly generateKey: Effect.Effect<string>
    readonly hashKey: (key: string) => string
    /** Constant-time comparison of two hashes. */
    readonly sameHash: (a: string, b: string) => boolean
    /** Whether JWTs are accepted at all (a secret or a JWKS URL is configured). */
    readonly jwtConfigured: boolean
    /** Verifies a JWT (signature, expiry, issuer, audience) and returns its claims. */
    readonly verifyJwt: (token: string) => Effect.Effect<Readonly<Record<string, unknown>>, Unauthenticated>
  }
>() {}
