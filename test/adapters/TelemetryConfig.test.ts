import { Effect, Either, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { loadConfig } from "../../src/adapters/config/ConfigLoader.js"
import { describeTelemetry } from "../../src/adapters/config/TelemetryConfig.js"
import { format } from "../../src/domain/Diagnostic.js"
import { workspace } from "../support/workspace.js"

const load = (yaml: string, env: Record<string, string> = {}) => {
  const dir = workspace({ "agentmap_config.yaml": yaml })
  return Effect.runPromise(Effect.either(loadConfig({ explicit: undefined, env, cwd: dir, home: dir })))
}
const telemetryOf = async (yaml: string, env: Record<string, string> = {}) => {
  const r = await load(yaml, env)
  if (Either.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return { telemetry: r.right.config.telemetry, warnings: r.right.diagnostics.map(format) }
}

describe("telemetry configuration", () => {
  it("is off by default, exporting to the standard local collector when turned on", async () => {
    const { telemetry } = await telemetryOf("")
    expect(telemetry).toMatchObject({
      enabled: false,
      exporter: "otlp",
      endpoint: "http://localhost:4318",
      serviceName: "agentmap",
      sampleRatio: 1,
      captureContent: false,
      metrics: { public: false, exportIntervalSeconds: 60 }
    })
  })

  it("reads every key of the section, the metrics sub-section included", async () => {
    const { telemetry } = await telemetryOf(
      [
        "telemetry:",
        "  enabled: true",
        "  exporter: console",
        "  endpoint: https://collector.example:4318/",
        "  headers:",
        "    x-honeycomb-team: hc-secret",
        "  service_name: agents",
        "  sample_ratio: 0.25",
        "  capture_content: true",
        "  metrics:",
        "    public: true",
        "    export_interval_seconds: 15",
        ""
      ].join("\n")
    )
    expect(telemetry).toMatchObject({
      enabled: true,
      exporter: "console",
      endpoint: "https://collector.example:4318",
      serviceName: "agents",
      sampleRatio: 0.25,
      captureContent: true,
      metrics: { public: true, exportIntervalSeconds: 15 }
    })
    expect(Redacted.value(telemetry.headers["x-honeycomb-team"]!)).toBe("hc-secret")
    // what diagnose shows: header names, never their values
    expect(JSON.stringify(describeTelemetry({ ...telemetry, exporter: "otlp" }))).not.toContain("hc-secret")
    expect(describeTelemetry({ ...telemetry, exporter: "otlp" })).toMatchObject({ traces_endpoint: "https://collector.example:4318/v1/traces", headers: ["x-honeycomb-team"] })
  })

  it("refuses wrong types with their path and warns about unknown keys", async () => {
    const r = await load("telemetry:\n  enabled: yes please\n  sample_ratio: 2\n  exporter: zipkin\n  colour: blue\n")
    expect(Either.isLeft(r)).toBe(true)
    const messages = Either.isLeft(r) && r.left._tag === "InvalidConfig" ? r.left.diagnostics.map(format).join("\n") : ""
    expect(messages).toContain("telemetry.enabled")
    expect(messages).toContain("telemetry.sample_ratio")
    expect(messages).toContain("telemetry.exporter")
    expect(messages).toContain("telemetry.colour")
    const warned = await telemetryOf("telemetry:\n  colour: blue\n")
    expect(warned.warnings.join("\n")).toMatch(/warning: .*telemetry\.colour/)
  })

  it("takes the OTEL_* variables for what the file leaves unset; the file wins over them; OTEL_SDK_DISABLED wins over the file", async () => {
    const env = {
      OTEL_SERVICE_NAME: "from-env",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-env:4318",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://otel-env:4318/custom/traces",
      OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20tok,x-team=a",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.1",
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=staging,service.namespace=agents"
    }
    const fromEnv = (await telemetryOf("telemetry:\n  enabled: true\n", env)).telemetry
    expect(fromEnv).toMatchObject({
      serviceName: "from-env",
      endpoint: "http://otel-env:4318",
      tracesEndpoint: "http://otel-env:4318/custom/traces",
      sampleRatio: 0.1,
      resourceAttributes: { "deployment.environment": "staging", "service.namespace": "agents" }
    })
    expect(Object.fromEntries(Object.entries(fromEnv.headers).map(([k, v]) => [k, Redacted.value(v)]))).toEqual({ authorization: "Bearer tok", "x-team": "a" })
    const fileWins = (await telemetryOf("telemetry:\n  enabled: true\n  service_name: from-file\n  endpoint: http://file:4318\n  sample_ratio: 0.5\n", env)).telemetry
    expect(fileWins).toMatchObject({ serviceName: "from-file", endpoint: "http://file:4318", tracesEndpoint: undefined, sampleRatio: 0.5 })
    expect((await telemetryOf("telemetry:\n  enabled: true\n", { OTEL_SDK_DISABLED: "true" })).telemetry.enabled).toBe(false)
    // AgentMap's own variables set keys like the file does
    expect((await telemetryOf("", { AGENTMAP_TELEMETRY__ENABLED: "true", AGENTMAP_TELEMETRY__CAPTURE_CONTENT: "true" })).telemetry).toMatchObject({ enabled: true, captureContent: true })
  })
})
