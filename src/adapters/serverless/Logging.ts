import { Cause, HashMap, Layer, Logger, LogLevel } from "effect"

const LEVELS: Readonly<Record<string, LogLevel.LogLevel>> = {
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  warn: LogLevel.Warning,
  error: LogLevel.Error,
  critical: LogLevel.Fatal,
  fatal: LogLevel.Fatal,
  none: LogLevel.None
}

/** One JSON object per line on stdout, annotations (correlation_id, graph, node, ...) at the top level: what CloudWatch, Application Insights and Cloud Logging index. */
export const jsonLine = Logger.make(({ annotations, cause, date, logLevel, message }) => {
  const fields: Record<string, unknown> = {
    timestamp: date.toISOString(),
    level: logLevel.label,
    message: Array.isArray(message) ? message.map(String).join(" ") : String(message)
  }
  for (const [key, value] of HashMap.toEntries(annotations)) fields[key] = value
  if (!Cause.isEmpty(cause)) fields["cause"] = Cause.pretty(cause)
  process.stdout.write(`${JSON.stringify(fields)}\n`)
})

export const layer = (level: string) =>
  Layer.mergeAll(Logger.replace(Logger.defaultLogger, jsonLine), Logger.minimumLogLevel(LEVELS[level.toLowerCase()] ?? LogLevel.Warning))
