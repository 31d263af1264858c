import { type HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Either } from "effect"
import type { Access } from "../ApiAccess.js"
import type { Caller, makeGate } from "../Gate.js"
import { type ok, respond } from "../Respond.js"

type Gate = Effect.Effect.Success<typeof makeGate>

/** Passes the gate for `needed`, then answers with `body`; a refusal or a failure becomes the JSON error response (as Handlers.ts does). */
export const guarded = (
  gate: Gate,
  request: HttpServerRequest.HttpServerRequest,
  needed: Access,
  body: (caller: Caller) => Effect.Effect<ReturnType<typeof ok>, { readonly _tag: string; readonly message: string } | ReturnType<typeof ok>>
) => Effect.flatMap(Effect.either(gate(request, needed)), (gated) => (Either.isLeft(gated) ? Effect.succeed(gated.left) : respond(gated.right.correlationId, body(gated.right))))

/** A LangGraph document as it is (no correlation_id added to it: the header carries it). */
export const json = (body: unknown, correlationId: string, status = 200) =>
  HttpServerResponse.unsafeJson(body, { status, headers: { "x-correlation-id": correlationId } })
