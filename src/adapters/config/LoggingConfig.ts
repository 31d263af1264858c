/** `logging:` decoded: what the loggers of every door (CLI, `serve`, the clouds) are built from. */
export interface LoggingConfig {
  /** `logging.level` (default warning); `--log-level` overrides it. */
  readonly level: string
  /** `logging.format`: undefined means the door's default (pretty on a terminal, JSON otherwise, see Logging.ts). */
  readonly format: "pretty" | "json" | undefined
  /** `logging.file` (or the design document's `log_to_file: true` + `log_file`), absolute: logs go there instead of the console. */
  readonly file: string | undefined
  /** `logging.file_max_bytes` (default 10 MiB): past it the file is rotated to `<file>.1`. */
  readonly fileMaxBytes: number
  /** `logging.file_keep` (default 5): how many rotated files (`<file>.1` … `<file>.N`) are kept. */
  readonly fileKeep: number
  /** `logging.correlation_id_enabled` (default true): false leaves `correlation_id` out of the lines. */
  readonly correlationIds: boolean
}

export const DEFAULT_LOG_FILE_MAX_BYTES = 10 * 1024 * 1024
export const DEFAULT_LOG_FILE_KEEP = 5

const at = (raw: unknown, key: string): unknown => (typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>)[key] : undefined)

/**
 * Reads the checked `logging` section. `file` wins over the seed's `log_file`; `log_to_file: true`
 * without a `log_file` writes `agentmap.log`; `log_to_file: false` turns a `log_file` off. Relative
 * paths are taken from the config file's folder (`~/` is the home folder).
 */
export const decodeLogging = (raw: unknown, resolve: (p: string) => string): LoggingConfig => {
  const text = (key: string) => {
    const v = at(raw, key)
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined
  }
  const count = (key: string, fallback: number) => {
    const v = at(raw, key)
    return typeof v === "number" ? v : fallback
  }
  const format = text("format")
  const toFile = at(raw, "log_to_file")
  const named = text("file") ?? (toFile === false ? undefined : (text("log_file") ?? (toFile === true ? "agentmap.log" : undefined)))
  return {
    level: text("level") ?? "warning",
    format: format === "pretty" || format === "json" ? format : undefined,
    file: named === undefined ? undefined : resolve(named),
    fileMaxBytes: count("file_max_bytes", DEFAULT_LOG_FILE_MAX_BYTES),
    fileKeep: count("file_keep", DEFAULT_LOG_FILE_KEEP),
    correlationIds: at(raw, "correlation_id_enabled") !== false
  }
}
