import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base"

/**
 * `exporter: console`: one JSON line per finished span on stderr (stdout is the result document's,
 * `agentmap run --json` must stay parseable). For looking at spans without a collector.
 */
export class StderrSpanExporter implements SpanExporter {
  export(spans: Array<ReadableSpan>, done: (result: { code: number }) => void): void {
    for (const s of spans)
      process.stderr.write(
        `${JSON.stringify({
          span: s.name,
          trace_id: s.spanContext().traceId,
          span_id: s.spanContext().spanId,
          parent_span_id: s.parentSpanContext?.spanId,
          kind: s.kind,
          start: s.startTime,
          duration_ms: s.duration[0] * 1000 + s.duration[1] / 1e6,
          status: s.status,
          attributes: s.attributes,
          ...(s.links.length > 0 ? { links: s.links.map((l) => ({ trace_id: l.context.traceId, span_id: l.context.spanId, attributes: l.attributes })) } : {})
        })}\n`
      )
    done({ code: 0 })
  }
  shutdown(): Promise<void> {
    return Promise.resolve()
  }
  forceFlush(): Promise<void> {
    return Promise.resolve()
  }
}
