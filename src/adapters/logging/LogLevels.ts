import { Logger, LogLevel } from "effect"

/** `logging.level` values, as Effect log levels. */
export const LEVELS: Readonly<Record<string, LogLevel.LogLevel>> = {
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

/** The configured level (warning when unknown). */
export const minimumLevel = (level: string) => Logger.minimumLogLevel(LEVELS[level.toLowerCase()] ?? LogLevel.Warning)
