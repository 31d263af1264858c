import { HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Clock, Effect } from "effect"

/** Headers whose values are credentials: shown as [REDACTED] in the debug line. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "x-api-key", "cookie", "set-cookie", "x-amz-security-token"])

const shownHeaders = (headers: Readonly<Record<string, string | undefined>>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.has(k.toLowerCase()) ? "[REDACTED]" : v]))

/**
 * One line per request once its response is chosen: `http request` at info (a 200 health probe
 * at debug) with method, path (never the query string), status, duration and the correlation id
 * the response carries; at debug also the request headers, credentials masked.
 */
export const withAccessLog = <E, R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const t0 = yield* Clock.currentTimeNanos
    const response = yield* app
    const durationMs = Math.round(Number((yield* Clock.currentTimeNanos) - t0) / 1e3) / 1e3
    const correlation = response.headers["x-correlation-id"]
    const fields = {
      method: request.method,
      path: request.url.split("?")[0] ?? "",
      status: response.status,
      duration_ms: durationMs,
      ...(correlation !== undefined ? { correlation_id: correlation } : {})
    }
    // load balancer and orchestrator probes would drown the rest at info
    const probe = fields.path.endsWith("/health") && response.status === 200
    yield* (probe ? Effect.logDebug("http request") : Effect.logInfo("http request")).pipe(Effect.annotateLogs(fields))
    yield* Effect.logDebug("http request headers").pipe(Effect.annotateLogs({ ...fields, headers: shownHeaders(request.headers) }))
    return response
  })
