import { Cause, HashMap, Layer, Logger } from "effect"
import { minimumLevel } from "./LogfmtLogger.js"

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
  Layer.mergeAll(Logger.replace(Logger.defaultLogger, jsonLine), minimumLevel(level))
