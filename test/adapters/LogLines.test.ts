import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Cause, Effect } from "effect"
import { describe, expect, it } from "vitest"
import { loadConfig } from "../../src/adapters/config/ConfigLoader.js"
import { DEFAULT_LOG_FILE_KEEP, DEFAULT_LOG_FILE_MAX_BYTES, type LoggingConfig } from "../../src/adapters/config/LoggingConfig.js"
import * as Logging from "../../src/adapters/logging/Logging.js"
import { configuredSecrets, logRedactor } from "../../src/adapters/logging/LogRedaction.js"

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-loglines-"))
const fileConfig = (file: string, more: Partial<LoggingConfig> = {}): LoggingConfig => ({
  level: "debug",
  format: "json",
  file,
  fileMaxBytes: DEFAULT_LOG_FILE_MAX_BYTES,
  fileKeep: DEFAULT_LOG_FILE_KEEP,
  correlationIds: true,
  ...more
})
const lines = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>)
const logTo = <A, E>(config: LoggingConfig, effect: Effect.Effect<A, E>, secrets: ReadonlyArray<string> = []) =>
  Effect.runPromise(Effect.either(effect).pipe(Effect.provide(Logging.layer({ config, door: "cli", secrets }))))

describe("log lines", () => {
  it("carry the ids of the span they were written in, the annotations, and a pretty-printed cause", async () => {
    const file = path.join(tmp(), "a.log")
    const span = await logTo(
      fileConfig(file),
      Effect.gen(function* () {
        const current = yield* Effect.currentSpan
        yield* Effect.logInfo("inside").pipe(Effect.annotateLogs({ thread_id: "t-1", graph: "G", node: "N", extra: { n: 1 } }))
        yield* Effect.logError("broke", Cause.fail(new Error("the reason")))
        return { traceId: current.traceId, spanId: current.spanId }
      }).pipe(Effect.withSpan("outer"), Effect.annotateLogs({ correlation_id: "c-1" }))
    )
    if (span._tag === "Left") throw new Error("no span")
    const [inside, broke] = lines(file)
    expect(Object.keys(inside!)).toEqual(["timestamp", "level", "message", "correlation_id", "trace_id", "span_id", "graph", "node", "thread_id", "extra"])
    expect(inside).toMatchObject({ level: "INFO", message: "inside", correlation_id: "c-1", trace_id: span.right.traceId, span_id: span.right.spanId, extra: { n: 1 } })
    expect(broke!["cause"]).toContain("the reason")
  })

  it("outside any span there are no trace ids; correlation_id_enabled: false drops the correlation id", async () => {
    const file = path.join(tmp(), "b.log")
    await logTo(fileConfig(file, { correlationIds: false }), Effect.logWarning("plain").pipe(Effect.annotateLogs({ correlation_id: "c-2" })))
    expect(lines(file)).toEqual([{ timestamp: expect.any(String), level: "WARN", message: "plain" }])
  })

  it("a field JSON cannot hold does not lose the line", async () => {
    const file = path.join(tmp(), "e.log")
    await logTo(fileConfig(file), Effect.logInfo("big").pipe(Effect.annotateLogs({ n: 10n })))
    expect(lines(file)).toEqual([{ timestamp: expect.any(String), level: "INFO", message: expect.stringMatching(/^big \(fields not shown: /) }])
  })

  it("the level filters (debug lines are not written at warning)", async () => {
    const file = path.join(tmp(), "c.log")
    await logTo(fileConfig(file, { level: "warning" }), Effect.zipRight(Effect.logDebug("quiet"), Effect.logWarning("loud")))
    expect(lines(file).map((l) => l["message"])).toEqual(["loud"])
  })

  it("mask configured secrets and secret shapes in the message, the fields and the cause", async () => {
    const file = path.join(tmp(), "d.log")
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXBhcnQ"
    await logTo(
      fileConfig(file),
      Effect.logError(`my-configured-value and agm_abcdefghijklmnop`, Cause.die(new Error(`postgres://u:hunter2secret@db/x failed`))).pipe(
        Effect.annotateLogs({ headers: { authorization: `Bearer ${jwt}`, other: "Basic dXNlcjpwYXNzd29yZA==" }, token: jwt })
      ),
      ["my-configured-value"]
    )
    const text = fs.readFileSync(file, "utf8")
    for (const secret of ["my-configured-value", "agm_abcdefghijklmnop", "hunter2secret", jwt, "dXNlcjpwYXNzd29yZA=="]) expect(text).not.toContain(secret)
    expect(lines(file)[0]).toMatchObject({ message: "[REDACTED] and [REDACTED]", token: "[REDACTED]", headers: { authorization: "Bearer [REDACTED]", other: "Basic [REDACTED]" } })
  })

  it("the configuration's secrets are collected: LLM keys, the JWT secret, telemetry headers, the PostgreSQL password", async () => {
    const dir = tmp()
    fs.writeFileSync(
      path.join(dir, "agentmap_config.yaml"),
      [
        "llm:",
        "  openai: { api_key: sk-config-openai-key-1 }",
        "auth:",
        "  jwt: { secret: the-jwt-secret-value }",
        "telemetry:",
        "  headers: { x-honeycomb-team: hc-team-key-123 }",
        "persistence:",
        "  postgres_url: postgres://agentmap:pg-password-9@db:5432/x",
        ""
      ].join("\n")
    )
    const { config } = await Effect.runPromise(loadConfig({ explicit: undefined, env: {}, cwd: dir, home: dir }))
    const secrets = configuredSecrets(config, { OTEL_EXPORTER_OTLP_HEADERS: "api-key=otel-header-secret" })
    for (const s of ["sk-config-openai-key-1", "the-jwt-secret-value", "hc-team-key-123", "pg-password-9", "otel-header-secret"]) expect(secrets).toContain(s)
    expect(logRedactor(secrets)("with hc-team-key-123 and otel-header-secret")).toBe("with [REDACTED] and [REDACTED]")
    // prose that only looks like a scheme stays readable
    expect(logRedactor([])("Basic information about the Bearer role")).toBe("Basic information about the Bearer role")
  })
})
