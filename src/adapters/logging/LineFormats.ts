import type { LogRecord } from "./LogRecord.js"

/** One JSON object per line, fields at the top level: what CloudWatch, Cloud Logging, Loki and Elastic index. */
export const jsonLine = (record: LogRecord): string => JSON.stringify(record)

const COLOURS: Readonly<Record<string, string>> = {
  TRACE: "\x1b[90m",
  DEBUG: "\x1b[36m",
  INFO: "\x1b[32m",
  WARN: "\x1b[33m",
  ERROR: "\x1b[31m",
  FATAL: "\x1b[35m"
}
const DIM = "\x1b[2m"
const RESET = "\x1b[0m"

const shown = (value: unknown): string => {
  const text = typeof value === "string" ? value : JSON.stringify(value)
  return /^[^\s="]+$/.test(text) ? text : JSON.stringify(text)
}

/**
 * A line for people: `2026-12-07T06:21:40.123Z INFO  message key=value …`, the cause indented
 * on the lines below. Colour (level, dimmed keys) only when `colour` (a terminal without NO_COLOR).
 */
export const prettyLine =
  (colour: boolean) =>
  (record: LogRecord): string => {
    const { timestamp, level, message, cause, ...fields } = record
    const label = level.padEnd(5)
    const pairs = Object.entries(fields).map(([k, v]) => (colour ? `${DIM}${k}=${RESET}${shown(v)}` : `${k}=${shown(v)}`))
    const head = [colour ? `${DIM}${timestamp}${RESET}` : timestamp, colour ? `${COLOURS[level] ?? ""}${label}${RESET}` : label, message, ...pairs].join(" ")
    return typeof cause === "string" ? `${head}\n${cause.replace(/^/gm, "    ")}` : head
  }
