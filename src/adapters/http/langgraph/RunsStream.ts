import { HttpServerResponse } from "@effect/platform"
import { Deferred, Duration, Effect, Queue, Stream } from "effect"
import type { Listeners, RunEnd } from "../../../application/LangGraphRuns.js"
import type { RunRecord } from "../../../domain/BackgroundRun.js"
import * as StreamLog from "./StreamLog.js"

type Frame = StreamLog.Frame

const encoder = new TextEncoder()
const encode = (f: Frame) => encoder.encode(`event: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`)
const encodeWithId = ([id, f]: readonly [number, Frame]) => encoder.encode(`id: ${id}\nevent: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`)
const heartbeat = encoder.encode(": heartbeat\n\n")

const withHeartbeats = <E>(body: Stream.Stream<Uint8Array, E>, heartbeatMillis: number) =>
  Stream.merge(body, Stream.tick(Duration.millis(heartbeatMillis)).pipe(Stream.drop(1), Stream.as(heartbeat)), { haltStrategy: "left" })

const sse = (body: Stream.Stream<Uint8Array>, options: { readonly heartbeatMillis: number; readonly headers: Readonly<Record<string, string>> }) =>
  HttpServerResponse.stream(withHeartbeats(body, options.heartbeatMillis), {
    contentType: "text/event-stream",
    headers: { "cache-control": "no-cache", "x-accel-buffering": "no", ...options.headers }
  })

/** The modes a stream asked for (LangGraph's default: values). */
export const modesOf = (mode: string | ReadonlyArray<string> | undefined): ReadonlySet<string> =>
  new Set(mode === undefined ? ["values"] : typeof mode === "string" ? [mode] : mode.length === 0 ? ["values"] : mode)

/**
 * The listeners that turn a run's steps, tokens and emits into LangGraph stream events, and the
 * events that end it. `values` keeps the state: the input, then each node's update over it.
 */
export const translate = (run: RunRecord, modes: ReadonlySet<string>, initial: Record<string, unknown>, offer: (f: Frame) => Effect.Effect<void>) => {
  let state: Record<string, unknown> = { ...initial }
  let step = 0
  const messages = new Map<string, string>()
  const listeners: Listeners = {
    observer: ({ execution, updates }) =>
      Effect.gen(function* () {
        step++
        const input = state
        state = { ...state, ...updates }
        const id = `${run.run_id}:${execution.node}:${step}`
        const debug = (type: string, payload: Record<string, unknown>) =>
          modes.has("debug") ? offer({ event: "debug", data: { step, type, timestamp: new Date().toISOString(), payload: { id, name: execution.node, ...payload, interrupts: [] } } }) : Effect.void
        // the order the reference server sends them in: task, updates, task_result, values
        yield* debug("task", { input, triggers: [`branch:to:${execution.node}`] })
        if (modes.has("updates")) yield* offer({ event: "updates", data: { [execution.node]: updates } })
        yield* debug("task_result", { result: updates, error: execution.success ? null : (execution.error ?? "failed") })
        if (modes.has("values")) yield* offer({ event: "values", data: state })
      }),
    tokens: (e) =>
      Effect.gen(function* () {
        if (!("text" in e)) return
        const id = `run-${run.run_id}-${e.node}`
        const metadata = { langgraph_node: e.node, langgraph_step: step + 1, run_id: run.run_id, thread_id: run.thread_id, graph_id: run.assistant_id, assistant_id: run.assistant_id }
        const message = (content: string) => ({ content, tool_calls: [], invalid_tool_calls: [], tool_call_chunks: [], additional_kwargs: {}, response_metadata: {}, id, type: "ai" })
        if (modes.has("messages-tuple")) yield* offer({ event: "messages", data: [message(e.text), metadata] })
        if (modes.has("messages")) {
          if (!messages.has(id)) yield* offer({ event: "messages/metadata", data: { [id]: { metadata } } })
          const content = (messages.get(id) ?? "") + e.text
          messages.set(id, content)
          yield* offer({ event: "messages/partial", data: [message(content)] })
        }
      }),
    custom: ({ data }) => (modes.has("custom") ? offer({ event: "custom", data }) : Effect.void)
  }
  const ending = (end: RunEnd): ReadonlyArray<Frame> => {
    if (end.error !== undefined && end.run.status !== "interrupted") return [{ event: "error", data: end.error }]
    const interrupt = end.values["__interrupt__"]
    if (interrupt === undefined) return []
    // as the reference server: both carry the interrupt alone
    return [
      ...(modes.has("updates") ? [{ event: "updates", data: { __interrupt__: interrupt } }] : []),
      ...(modes.has("values") ? [{ event: "values", data: { __interrupt__: interrupt } }] : [])
    ]
  }
  return { listeners, ending, initial: modes.has("values") ? [{ event: "values", data: state }] : [] }
}

/**
 * Runs `start` (the run, with these listeners) as a daemon fiber and streams its events: a client
 * that disconnects does not stop the run. Until the run is accepted, a refusal is answered as
 * `refused` says (a JSON error), not as a stream.
 */
export const streamRun = (
  run: RunRecord,
  modes: ReadonlySet<string>,
  initial: Record<string, unknown>,
  start: (listeners: Listeners) => Effect.Effect<RunEnd>,
  refused: (end: RunEnd) => Effect.Effect<HttpServerResponse.HttpServerResponse, unknown> | undefined,
  options: { readonly heartbeatMillis: number; readonly headers: Readonly<Record<string, string>>; readonly resumable?: boolean }
) =>
  Effect.gen(function* () {
    const queue = yield* Queue.unbounded<Frame | null>()
    const accepted = yield* Deferred.make<void>()
    // a resumable stream goes through the process's log: the response follows it like a rejoin would
    const log = options.resumable === true ? StreamLog.open(run.run_id) : undefined
    const offer = (f: Frame) => (log !== undefined ? Effect.sync(() => StreamLog.append(log, f)) : Queue.offer(queue, f).pipe(Effect.asVoid))
    const t = translate(run, modes, initial, offer)
    const head = [{ event: "metadata", data: { run_id: run.run_id, attempt: 1 } }, ...t.initial]
    if (log !== undefined) for (const f of head) StreamLog.append(log, f)
    const fiber = yield* Effect.forkDaemon(
      start({ ...t.listeners, onStart: Deferred.succeed(accepted, undefined).pipe(Effect.asVoid) }).pipe(
        Effect.tap((end) => Effect.forEach(t.ending(end), offer)),
        Effect.ensuring(log !== undefined ? Effect.sync(() => StreamLog.end(run.run_id, log)) : Queue.offer(queue, null))
      )
    )
    const first = yield* Effect.raceFirst(Deferred.await(accepted).pipe(Effect.as(undefined)), fiber.await)
    if (first !== undefined && first._tag === "Success") {
      const refusal = refused(first.value)
      if (refusal !== undefined) {
        StreamLog.drop(run.run_id)
        return yield* Effect.orDie(refusal)
      }
    }
    const followed = StreamLog.follow(run.run_id, -1)
    const body =
      log !== undefined && followed !== undefined
        ? followed.pipe(Stream.map(encodeWithId))
        : Stream.concat(Stream.fromIterable(head), Stream.fromQueue(queue).pipe(Stream.takeWhile((f): f is Frame => f !== null))).pipe(Stream.map(encode))
    return sse(body, options)
  })

/**
 * Rejoins a resumable stream this process keeps: the events after `Last-Event-ID` (`-1`: all of
 * them; none given: only those still to come), then the rest live. Undefined when it keeps none.
 */
export const rejoin = (run: RunRecord, lastEventId: string | undefined, options: { readonly heartbeatMillis: number; readonly headers: Readonly<Record<string, string>> }) => {
  const after = lastEventId === undefined ? Number.MAX_SAFE_INTEGER : Number(lastEventId)
  const followed = StreamLog.follow(run.run_id, Number.isInteger(after) ? (after === Number.MAX_SAFE_INTEGER ? StreamLog.last(run.run_id) : after) : -1)
  return followed === undefined ? undefined : sse(followed.pipe(Stream.map(encodeWithId)), options)
}

/** A stream joined after the run began: `metadata`, then, once the run has ended, its final `values` (or `error`). */
export const streamEnd = (run: RunRecord, ended: Effect.Effect<RunEnd>, options: { readonly heartbeatMillis: number; readonly headers: Readonly<Record<string, string>> }) => {
  const last = Stream.fromEffect(ended).pipe(
    Stream.map((end): Frame => (end.error !== undefined && end.run.status === "error" ? { event: "error", data: end.error } : { event: "values", data: end.values }))
  )
  const first: Frame = { event: "metadata", data: { run_id: run.run_id, attempt: 1 } }
  return sse(Stream.concat(Stream.make(first), last).pipe(Stream.map(encode)), options)
}
