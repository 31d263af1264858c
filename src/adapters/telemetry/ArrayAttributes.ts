import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base"

/**
 * Attributes the semantic conventions define as arrays. Effect's span API turns an array value into
 * its JSON text on the way to OpenTelemetry, so they are turned back into arrays before export.
 */
const ARRAY_ATTRIBUTES: ReadonlySet<string> = new Set(["gen_ai.response.finish_reasons"])

const restored = (span: ReadableSpan): ReadableSpan => {
  let attributes: Record<string, unknown> | undefined
  for (const key of ARRAY_ATTRIBUTES) {
    const value = span.attributes[key]
    if (typeof value !== "string" || !value.startsWith("[")) continue
    try {
      const parsed = JSON.parse(value) as unknown
      if (Array.isArray(parsed)) (attributes ??= { ...span.attributes })[key] = parsed
    } catch {
      // not JSON after all: left as it was
    }
  }
  return attributes === undefined ? span : (Object.create(span, { attributes: { value: attributes, enumerable: true } }) as ReadableSpan)
}

/** An exporter that hands `exporter` the spans with their array attributes restored. */
export const withArrayAttributes = (exporter: SpanExporter): SpanExporter => ({
  export: (spans, done) => exporter.export(spans.map(restored), done),
  shutdown: () => exporter.shutdown(),
  ...(exporter.forceFlush !== undefined ? { forceFlush: () => exporter.forceFlush!() } : {})
})
