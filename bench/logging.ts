/**
 * Cost of one log line through AgentMap's logger, against Effect's own logfmt logger (the
 * baseline: what the CLI used before) writing the same lines to the same place, in one process
 * and interleaved rounds: JSON and pretty lines to a file descriptor (/dev/null), JSON lines to a
 * rotating file (a stat and an append per line), and a line below the level (filtered out).
 *
 *   node --import tsx bench/logging.ts [--lines 20000] [--rounds 5]
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parseArgs } from "node:util"
import { Effect, Layer, Logger } from "effect"
import { DEFAULT_LOG_FILE_KEEP, type LoggingConfig } from "../src/adapters/config/LoggingConfig.js"
import { minimumLevel } from "../src/adapters/logging/LogLevels.js"
import * as Logging from "../src/adapters/logging/Logging.js"

const { values } = parseArgs({ options: { lines: { type: "string", default: "20000" }, rounds: { type: "string", default: "5" } } })
const LINES = Number(values.lines)
const ROUNDS = Number(values.rounds)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-bench-logging-"))

// every console line goes to /dev/null: the bench measures formatting and writing, not a terminal
const devNull = fs.openSync("/dev/null", "w")
const stderrWrite = process.stderr.write.bind(process.stderr)
process.stderr.write = ((chunk: string | Uint8Array) => (fs.writeSync(devNull, typeof chunk === "string" ? Buffer.from(chunk) : chunk), true)) as typeof process.stderr.write

const config = (more: Partial<LoggingConfig>): LoggingConfig => ({
  level: "info",
  format: "json",
  file: undefined,
  fileMaxBytes: 1024 * 1024,
  fileKeep: DEFAULT_LOG_FILE_KEEP,
  correlationIds: true,
  ...more
})

const lines = (n: number) =>
  Effect.forEach(
    Array.from({ length: n }, (_, i) => i),
    (i) => Effect.logInfo(`node finished ${i}`).pipe(Effect.annotateLogs({ duration_ms: 12.5, agent: "echo" })),
    { discard: true }
  ).pipe(Effect.annotateLogs({ correlation_id: "bench", graph: "G", thread_id: "t" }), Effect.withSpan("bench"))

const variants: ReadonlyArray<readonly [string, Layer.Layer<never>]> = [
  ["baseline: Effect logfmt", Layer.mergeAll(Logger.replace(Logger.defaultLogger, Logger.map(Logger.logfmtLogger, (l) => process.stderr.write(`${l}\n`))), minimumLevel("info"))],
  ["json to stderr", Logging.layer({ config: config({ format: "json" }), door: "cli", secrets: ["sk-bench-secret-value"] })],
  ["pretty to stderr", Logging.layer({ config: config({ format: "pretty" }), door: "cli", secrets: ["sk-bench-secret-value"] })],
  ["json to a rotating file (1 MiB)", Logging.layer({ config: config({ file: path.join(dir, "bench.log") }), door: "cli", secrets: ["sk-bench-secret-value"] })],
  ["below the level (info at warning)", Logging.layer({ config: config({ level: "warning" }), door: "cli" })]
]

// one untimed round first, so the JIT has seen every variant before any is timed
for (const [, layer] of variants) Effect.runSync(lines(Math.min(LINES, 2000)).pipe(Effect.provide(layer)))
const times = new Map<string, Array<number>>(variants.map(([name]) => [name, []]))
for (let round = 0; round < ROUNDS; round++)
  for (const [name, layer] of variants) {
    const t0 = process.hrtime.bigint()
    Effect.runSync(lines(LINES).pipe(Effect.provide(layer)))
    times.get(name)!.push(Number(process.hrtime.bigint() - t0) / LINES)
  }

process.stderr.write = stderrWrite
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const base = median(times.get(variants[0]![0])!)
console.log(`${LINES} lines × ${ROUNDS} interleaved rounds, median ns per line`)
for (const [name] of variants) {
  const m = median(times.get(name)!)
  console.log(`${name.padEnd(34)} ${String(Math.round(m)).padStart(7)} ns  ${(m / base).toFixed(2)}× baseline`)
}
fs.rmSync(dir, { recursive: true, force: true })
