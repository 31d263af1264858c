import { HttpServerResponse } from "@effect/platform"
import { Cause, Effect } from "effect"
import { fail, problem } from "./Problems.js"

/** A JSON 200 carrying the correlation id as a header (and in the body when it is an object). */
export const ok = (body: unknown, correlationId: string) =>
  HttpServerResponse.unsafeJson(typeof body === "object" && body !== null && !Array.isArray(body) ? { ...body, correlation_id: correlationId } : body, {
    headers: { "x-correlation-id": correlationId }
  })

/**
 * Runs a handler body: program errors become `{ error, message }` with their status, refusals
 * pass through, and a defect is a 500 that says only what the caller may know. Log lines carry
 * `correlation_id`.
 */
export const respond = <E extends { readonly _tag: string; readonly message: string }>(
  correlationId: string,
  body: Effect.Effect<HttpServerResponse.HttpServerResponse, E | HttpServerResponse.HttpServerResponse>
) =>
  body.pipe(
    Effect.catchAll((e) => Effect.succeed(HttpServerResponse.isServerResponse(e) ? e : problem(e, { "x-correlation-id": correlationId }))),
    Effect.catchAllCause((cause) =>
      Effect.logError("request failed", Cause.pretty(cause)).pipe(
        Effect.as(fail("InternalError", `internal error (correlation id ${correlationId})`, { "x-correlation-id": correlationId }))
      )
    ),
    // every log line written while the request runs carries its id
    Effect.annotateLogs({ correlation_id: correlationId })
  )
