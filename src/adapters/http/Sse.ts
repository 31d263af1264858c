import { HttpServerResponse } from "@effect/platform"
import { Cause, Deferred, Duration, Effect, Exit, Fiber, Queue, Stream } from "effect"
import type { ExecuteOutcome } from "../../application/WorkflowService.js"
import type { RunResult, ToolCallRecord } from "../../domain/RunResult.js"
import type { CustomObserver, StepObserver, TokenObserver } from "../../ports/WorkflowEngine.js"

/** One Server-Sent Event: `node` per finished node, `token` while a model streams, `tool` per tool call, then exactly one final event. */
export type SseEvent =
  | { readonly event: "node"; readonly data: { readonly node: string; readonly update: unknown; readonly duration_ms: number } }
  | { readonly event: "token"; readonly data: { readonly node: string; readonly text: string } }
  | { readonly event: "custom"; readonly data: { readonly node: string; readonly data: unknown } }
  | { readonly event: "tool"; readonly data: { readonly node: string } & ToolCallRecord }
  | { readonly event: "completed" | "suspended" | "failed"; readonly data: (RunResult & { readonly correlation_id: string }) | { readonly error: string; readonly message: string } }

let streaming = 0
/** Streamed runs still going (some may have lost their client): shutdown waits for them. */
export const activeStreams = () => streaming
const runs = new Set<Fiber.RuntimeFiber<unknown, unknown>>()
/**
 * Stops the streamed runs still going (shutdown, once the grace period is over): their agents'
 * AbortSignals fire and they can clean up, instead of the process exiting under them.
 */
export const stopStreams: Effect.Effect<void> = Effect.suspend(() => Fiber.interruptAll([...runs]))

const encoder = new TextEncoder()
const frame = (e: SseEvent) => encoder.encode(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`)
const heartbeat = encoder.encode(": heartbeat\n\n")

/**
 * Streams a run as Server-Sent Events. The run is a daemon fiber, not a child of the request:
 * a client that disconnects stops receiving events, and the run still completes or suspends
 * (its result stays readable at /threads/{id} and resumable).
 *
 * `start` runs the leg with an observer and a hook called once the run has been accepted; until
 * then an error is an ordinary JSON error response (a 404 or 422 is not a stream).
 */
export const streamRun = <E>(
  start: (listen: { readonly observer: StepObserver; readonly tokens: TokenObserver; readonly custom: CustomObserver }, accepted: Effect.Effect<void>) => Effect.Effect<ExecuteOutcome, E>,
  options: { readonly correlationId: string; readonly heartbeatMillis: number }
): Effect.Effect<HttpServerResponse.HttpServerResponse, E> =>
  Effect.gen(function* () {
    const events = yield* Queue.unbounded<SseEvent>()
    const accepted = yield* Deferred.make<void>()
    const observer: StepObserver = ({ execution, updates }) =>
      Queue.offer(events, { event: "node", data: { node: execution.node, update: updates, duration_ms: execution.duration_ms } }).pipe(Effect.asVoid)
    const tokens: TokenObserver = (e) =>
      Queue.offer(events, "tool" in e ? { event: "tool", data: { node: e.node, ...e.tool } } : { event: "token", data: { node: e.node, text: e.text } }).pipe(Effect.asVoid)
    const custom: CustomObserver = ({ node, data }) => Queue.offer(events, { event: "custom", data: { node, data } }).pipe(Effect.asVoid)
    streaming++
    const run = yield* Effect.forkDaemon(
      start({ observer, tokens, custom }, Deferred.succeed(accepted, undefined).pipe(Effect.asVoid)).pipe(
        Effect.tap(({ result }) =>
          Queue.offer(events, { event: result.status, data: { ...result, correlation_id: options.correlationId } })
        ),
        // a fault after the stream began still ends it with exactly one final event
        Effect.tapErrorCause((cause) =>
          Queue.offer(events, {
            event: "failed",
            data: { error: "InternalError", message: Cause.isFailType(cause) ? String((cause.error as { message?: unknown }).message ?? "the run failed") : "the run failed" }
          })
        ),
        Effect.ensuring(Effect.sync(() => void streaming--))
      )
    )
    runs.add(run)
    run.addObserver(() => runs.delete(run))
    // whichever comes first: the run was accepted (stream it) or it ended before that (answer it)
    const first = yield* Effect.raceFirst(Deferred.await(accepted).pipe(Effect.as("accepted" as const)), run.await)
    if (first !== "accepted") {
      if (Exit.isFailure(first)) return yield* Effect.failCause(first.cause)
    }
    const body = Stream.fromQueue(events).pipe(
      Stream.takeUntil((e) => e.event === "completed" || e.event === "suspended" || e.event === "failed"),
      Stream.map(frame),
      Stream.merge(Stream.tick(Duration.millis(options.heartbeatMillis)).pipe(Stream.drop(1), Stream.as(heartbeat)), { haltStrategy: "left" })
    )
    return HttpServerResponse.stream(body, {
      contentType: "text/event-stream",
      headers: { "cache-control": "no-cache", "x-accel-buffering": "no", "x-correlation-id": options.correlationId }
    })
  })
