import { randomUUID } from "node:crypto"
import { HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Clock, Effect, Option } from "effect"
import { AuthService } from "../../application/AuthService.js"
import { PERMISSIONS, type Permission, type Principal, allows } from "../../domain/Auth.js"
import { HttpSettings } from "./HttpSettings.js"
import { fail, problem } from "./Problems.js"
import { makeRateLimiter } from "./RateLimiter.js"

/** Who is calling, and the id that ties this request to its logs and response. */
export interface Caller {
  readonly principal: Principal
  readonly correlationId: string
}

/** A request refused before it reached the program: the response to send instead. */
export type Refusal = HttpServerResponse.HttpServerResponse

const ANONYMOUS: Principal = { id: "anonymous", permissions: new Set(PERMISSIONS) }
const CORRELATION = /^[A-Za-z0-9._:+/=-]{1,128}$/

export const correlationIdOf = (request: HttpServerRequest.HttpServerRequest) => {
  const given = request.headers["x-correlation-id"]
  return typeof given === "string" && CORRELATION.test(given) ? given : randomUUID()
}

const bearerOf = (header: string | undefined) => {
  const m = header === undefined ? null : /^Bearer\s+(.+)$/i.exec(header.trim())
  return m === null ? undefined : m[1]!.trim()
}

/** Rate limits, authentication and the permission check, in that order (public routes only get the limits). */
export const makeGate = Effect.gen(function* () {
  const settings = yield* HttpSettings
  const auth = yield* AuthService
  const byAddress = makeRateLimiter(settings.rateLimit.perAddressPerMinute)
  const byKey = makeRateLimiter(settings.rateLimit.perKeyPerMinute)

  const limited = (retryAfter: number, correlationId: string) =>
    fail("TooManyRequests", `rate limit exceeded; retry in ${retryAfter} s`, { "retry-after": String(retryAfter), "x-correlation-id": correlationId })

  return (request: HttpServerRequest.HttpServerRequest, needed: Permission | "public"): Effect.Effect<Caller, Refusal> =>
    Effect.gen(function* () {
      const correlationId = correlationIdOf(request)
      const headers = { "x-correlation-id": correlationId }
      const now = yield* Clock.currentTimeMillis
      const address = Option.getOrElse(request.remoteAddress, () => "unknown")
      const addressWait = byAddress(address, now)
      if (addressWait > 0) return yield* Effect.fail(limited(addressWait, correlationId))
      if (needed === "public" || !settings.authEnabled) return { principal: ANONYMOUS, correlationId }
      const apiKey = request.headers["x-api-key"]
      const principal = yield* auth
        .authenticate({ apiKey: typeof apiKey === "string" ? apiKey : undefined, bearer: bearerOf(request.headers["authorization"]) })
        .pipe(Effect.mapError((e) => problem(e, e._tag === "Unauthenticated" ? { ...headers, "www-authenticate": 'Bearer realm="agentmap"' } : headers)))
      const keyWait = byKey(principal.id, now)
      if (keyWait > 0) return yield* Effect.fail(limited(keyWait, correlationId))
      if (!allows(principal, needed)) return yield* Effect.fail(fail("Forbidden", `this credential lacks the '${needed}' permission`, headers))
      return { principal, correlationId }
    })
})

export const requestOf = HttpServerRequest.HttpServerRequest
