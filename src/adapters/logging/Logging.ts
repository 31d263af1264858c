import * as fs from "node:fs"
import * as path from "node:path"
import { Layer, Logger } from "effect"
import type { AppConfig } from "../config/AppConfig.js"
import type { LoggingConfig } from "../config/LoggingConfig.js"
import { jsonLine, prettyLine } from "./LineFormats.js"
import { minimumLevel } from "./LogLevels.js"
import { configuredSecrets, logRedactor } from "./LogRedaction.js"
import { toRecord } from "./LogRecord.js"
import { rotatingFile } from "./RotatingFile.js"

/**
 * Which door the process came in by, deciding where logs go and their default format:
 * - `cli` (run, resume, validate, …): stderr, since stdout carries the command's result; pretty.
 * - `serve`: stdout, what container platforms collect; pretty on a terminal, JSON lines otherwise.
 * - `cloud` (the Lambda, Azure Functions and Cloud Run handlers): stdout, JSON lines.
 * `logging.format` overrides the format anywhere; `logging.file` sends the lines to that file
 * (rotated by size) instead of the console, as JSON unless `logging.format: pretty`.
 */
export type Door = "cli" | "serve" | "cloud"

export interface LoggingOptions {
  readonly config: LoggingConfig
  readonly door: Door
  /** `--log-level`, over `logging.level`. */
  readonly level?: string | undefined
  /** Configured secret values masked in every line (see LogRedaction.configuredSecrets). */
  readonly secrets?: ReadonlyArray<string>
}

const noColour = () => process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== ""

/** Where lines go and how they look, from the options and the terminals this process has. */
export const plan = (options: LoggingOptions) => {
  const { config, door } = options
  const console = door === "cli" ? process.stderr : process.stdout
  const format = config.format ?? (config.file !== undefined || door === "cloud" || (door === "serve" && !process.stdout.isTTY) ? "json" : "pretty")
  const colour = format === "pretty" && config.file === undefined && console.isTTY === true && !noColour()
  return { console, format, colour }
}

const writerFor = (options: LoggingOptions, console: NodeJS.WriteStream): ((line: string) => void) => {
  const file = options.config.file
  const toConsole = (line: string) => void console.write(`${line}\n`)
  if (file === undefined) return toConsole
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
  } catch {
    // the first append reports it
  }
  const append = rotatingFile(file, options.config.fileMaxBytes, options.config.fileKeep)
  let failed = false
  return (line) => {
    try {
      append(line)
    } catch (e) {
      // a log file that cannot be written must not take the run down: say so once, then use the console
      if (!failed) process.stderr.write(`agentmap: cannot write the log file ${file} (${(e as Error).message}); logging to the console instead\n`)
      failed = true
      toConsole(line)
    }
  }
}

/** The logger of the options, one line per log call. */
export const make = (options: LoggingOptions): Logger.Logger<unknown, void> => {
  const { console, format, colour } = plan(options)
  const settings = { redact: logRedactor(options.secrets ?? []), correlationIds: options.config.correlationIds }
  const render = format === "json" ? jsonLine : prettyLine(colour)
  const write = writerFor(options, console)
  return Logger.make((call) => {
    let line: string
    try {
      line = render(toRecord(call, settings))
    } catch (e) {
      // a field JSON cannot hold (a bigint): the line is still written, without its fields
      line = render({ timestamp: call.date.toISOString(), level: call.logLevel.label, message: settings.redact(`${String(call.message)} (fields not shown: ${(e as Error).message})`) })
    }
    write(line)
  })
}

/** Replaces Effect's default logger with ours at the configured (or `--log-level`) level. */
export const layer = (options: LoggingOptions) =>
  Layer.mergeAll(Logger.replace(Logger.defaultLogger, make(options)), minimumLevel(options.level ?? options.config.level))

/** The logging layer of a loaded configuration, for one door, its secrets masked. */
export const layerFor = (config: AppConfig, door: Door, level?: string | undefined) =>
  layer({ config: config.logging, door, level, secrets: configuredSecrets(config) })
