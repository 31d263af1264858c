import { Effect, Option, Tracer } from "effect"
import type { RunResult } from "../domain/RunResult.js"
import type { ThreadRecord } from "../domain/Thread.js"

/** Span names of AgentMap's own spans (README "Telemetry" lists them with their attributes). */
export const RUN_SPAN = "agentmap.run"
export const nodeSpanName = (node: string) => `agentmap.node ${node}`

/** How a leg of a thread began. */
export type LegKind = "start" | "resume" | "recover"

/** A resumed (or recovered) leg links to the run span that suspended (or last ran) the thread. */
const linksTo = (record: ThreadRecord): Array<Tracer.SpanLink> => {
  const previous = record.result
  if (previous?.trace_id === undefined || previous.span_id === undefined) return []
  return [{ _tag: "SpanLink", span: Tracer.externalSpan({ traceId: previous.trace_id, spanId: previous.span_id, sampled: true }), attributes: { "agentmap.link": "continues" } }]
}

/** The ids of the current run span, for the result document (Effect's own tracer when telemetry is off, the exported ids when on). */
export const traceIds = Effect.map(Effect.option(Effect.currentSpan), (span) =>
  Option.isSome(span) ? { trace_id: span.value.traceId, span_id: span.value.spanId } : {}
)

/** The run span's attributes known only at the end. */
export const annotateRun = (result: RunResult) =>
  Effect.annotateCurrentSpan({
    "agentmap.status": result.status,
    "agentmap.duration_ms": result.execution_summary.duration_ms,
    "agentmap.node_count": result.execution_summary.node_executions.length,
    ...(result.error !== undefined ? { "agentmap.error": result.error.tag } : {}),
    ...(result.interrupt !== undefined ? { "agentmap.interrupt.node": result.interrupt.node } : {})
  })

/** One leg of a thread as an `agentmap.run` span: a child of the caller's span (an HTTP request, a cloud invocation). */
export const withRunSpan =
  (record: ThreadRecord, kind: LegKind) =>
  <A, E, R>(leg: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.withSpan(leg, RUN_SPAN, {
      kind: "internal",
      attributes: {
        "agentmap.graph": record.graph,
        "agentmap.workflow": record.workflow,
        "agentmap.thread_id": record.thread_id,
        "agentmap.leg": kind
      },
      links: linksTo(record)
    })
