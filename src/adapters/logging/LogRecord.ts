import { Cause, Context, FiberRef, FiberRefs, HashMap, type Logger, Option, Tracer } from "effect"

/** One log line as data, in the order the JSON lines show it. */
export type LogRecord = Record<string, unknown> & { readonly timestamp: string; readonly level: string; readonly message: string }

export interface RecordOptions {
  /** Masks secrets in every text of the line. */
  readonly redact: (text: string) => string
  /** false: `correlation_id` is left out (`logging.correlation_id_enabled: false`). */
  readonly correlationIds: boolean
}

const messageText = (message: unknown): string =>
  (Array.isArray(message) ? message : [message]).map((m) => (typeof m === "string" ? m : m instanceof Error ? m.message : safeJson(m))).join(" ")

const safeJson = (value: unknown): string => {
  try {
    return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)
  } catch {
    return String(value)
  }
}

/** The span the log call ran in (Effect's own tracer or OpenTelemetry's), read from the calling fiber. */
const currentSpan = (context: FiberRefs.FiberRefs): Option.Option<Tracer.AnySpan> =>
  Context.getOption(FiberRefs.getOrDefault(context, FiberRef.currentContext), Tracer.ParentSpan)

/** Redacts every string inside a value (annotations may be objects). */
const scrub = (value: unknown, redact: (text: string) => string): unknown => {
  if (typeof value === "string") return redact(value)
  if (value === null || typeof value !== "object") return value
  const masked = redact(safeJson(value))
  try {
    return JSON.parse(masked)
  } catch {
    return masked
  }
}

/**
 * A log call as one flat record: timestamp, level, message, then correlation_id, trace_id,
 * span_id, graph, node, thread_id and any other annotation, then `cause` (pretty-printed) when
 * the call carried one. Every text goes through the redactor.
 */
export const toRecord = (options: Logger.Logger.Options<unknown>, settings: RecordOptions): LogRecord => {
  const { annotations, cause, context, date, logLevel, message } = options
  const record: Record<string, unknown> = {
    timestamp: date.toISOString(),
    level: logLevel.label,
    message: settings.redact(messageText(message))
  }
  const annotated = new Map(HashMap.toEntries(annotations))
  const correlation = annotated.get("correlation_id")
  if (settings.correlationIds && correlation !== undefined) record["correlation_id"] = correlation
  annotated.delete("correlation_id")
  const span = currentSpan(context)
  if (Option.isSome(span)) {
    record["trace_id"] = span.value.traceId
    record["span_id"] = span.value.spanId
  }
  for (const key of ["graph", "node", "thread_id"]) {
    if (annotated.has(key)) record[key] = annotated.get(key)
    annotated.delete(key)
  }
  for (const [key, value] of annotated) record[key] = scrub(value, settings.redact)
  if (!Cause.isEmpty(cause)) record["cause"] = settings.redact(Cause.pretty(cause, { renderErrorCause: true }))
  return record as LogRecord
}
