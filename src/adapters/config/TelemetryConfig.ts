import { Redacted } from "effect"
import { type Diagnostic, error } from "../../domain/Diagnostic.js"
import { isJsonObject } from "../../domain/Json.js"

/** Decoded `telemetry:` with the standard OTEL_* environment variables applied. */
export interface TelemetryConfig {
  /** Off by default; OTEL_SDK_DISABLED=true turns it off whatever the file says. */
  readonly enabled: boolean
  readonly exporter: "otlp" | "console" | "none"
  /** The OTLP/HTTP base URL: traces go to `<endpoint>/v1/traces`, metrics to `<endpoint>/v1/metrics`. */
  readonly endpoint: string
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: a full URL for traces only. */
  readonly tracesEndpoint: string | undefined
  /** Sent with every export (may hold an API key of the collector: never logged, shown only by name). */
  readonly headers: Readonly<Record<string, Redacted.Redacted<string>>>
  readonly serviceName: string
  /** Head sampling of new traces (0..1), parent-based: a sampled caller's trace is always continued. */
  readonly sampleRatio: number
  /** Put prompts and completions on LLM spans (default false: they can hold personal data). */
  readonly captureContent: boolean
  /** OTEL_RESOURCE_ATTRIBUTES, key=value pairs added to the resource. */
  readonly resourceAttributes: Readonly<Record<string, string>>
  readonly metrics: {
    /** `GET /metrics` without authentication. */
    readonly public: boolean
    /** How often Effect's metrics are pushed over OTLP. */
    readonly exportIntervalSeconds: number
  }
}

export const DEFAULT_ENDPOINT = "http://localhost:4318"

/** `k1=v1,k2=v2` (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES), values percent-decoded. */
export const parsePairs = (text: string | undefined): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const part of (text ?? "").split(",")) {
    const i = part.indexOf("=")
    if (i <= 0) continue
    const key = part.slice(0, i).trim()
    const raw = part.slice(i + 1).trim()
    let value = raw
    try {
      value = decodeURIComponent(raw)
    } catch {
      // a value that is not valid percent-encoding is taken as written
    }
    if (key !== "") out[key] = value
  }
  return out
}

const nonEmpty = (v: string | undefined) => (v !== undefined && v.trim() !== "" ? v.trim() : undefined)

/**
 * The file's `telemetry:` section first, then the OTEL_* variables for what it leaves unset (the
 * SDK convention: explicit configuration wins over the environment); OTEL_SDK_DISABLED=true is the
 * exception, an operator's switch that turns telemetry off whatever the file says.
 */
export const decodeTelemetry = (
  raw: unknown,
  env: Readonly<Record<string, string | undefined>>,
  file: string,
  diagnostics: Array<Diagnostic>
): TelemetryConfig => {
  const section = isJsonObject(raw) ? raw : {}
  const at = { file, line: 1, column: 1 }
  const metrics = isJsonObject(section["metrics"]) ? section["metrics"] : {}
  const sampler = nonEmpty(env["OTEL_TRACES_SAMPLER"])
  const samplerArg = Number(nonEmpty(env["OTEL_TRACES_SAMPLER_ARG"]) ?? "NaN")
  const envRatio =
    sampler === "always_off" || sampler === "parentbased_always_off"
      ? 0
      : (sampler === "traceidratio" || sampler === "parentbased_traceidratio") && Number.isFinite(samplerArg)
        ? Math.min(1, Math.max(0, samplerArg))
        : sampler !== undefined
          ? 1
          : undefined
  const fileHeaders = isJsonObject(section["headers"]) ? section["headers"] : undefined
  const headers: Record<string, Redacted.Redacted<string>> = {}
  for (const [k, v] of Object.entries(fileHeaders ?? parsePairs(env["OTEL_EXPORTER_OTLP_HEADERS"]))) {
    if (typeof v !== "string") {
      diagnostics.push(error(at, "config-type", `telemetry.headers.${k} must be a string`))
      continue
    }
    headers[k] = Redacted.make(v)
  }
  const endpoint = (typeof section["endpoint"] === "string" && section["endpoint"] !== "" ? section["endpoint"] : nonEmpty(env["OTEL_EXPORTER_OTLP_ENDPOINT"])) ?? DEFAULT_ENDPOINT
  if (!/^https?:\/\//i.test(endpoint)) diagnostics.push(error(at, "config-value", `telemetry.endpoint must be an http(s) URL (the OTLP/HTTP base, e.g. ${DEFAULT_ENDPOINT}), not '${endpoint}'`))
  const disabledByEnv = nonEmpty(env["OTEL_SDK_DISABLED"])?.toLowerCase() === "true"
  return {
    enabled: !disabledByEnv && section["enabled"] === true,
    exporter: (typeof section["exporter"] === "string" ? section["exporter"] : nonEmpty(env["OTEL_TRACES_EXPORTER"]) === "console" ? "console" : "otlp") as TelemetryConfig["exporter"],
    endpoint: endpoint.replace(/\/+$/, ""),
    tracesEndpoint: typeof section["endpoint"] === "string" && section["endpoint"] !== "" ? undefined : nonEmpty(env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]),
    headers,
    serviceName: (typeof section["service_name"] === "string" && section["service_name"] !== "" ? section["service_name"] : nonEmpty(env["OTEL_SERVICE_NAME"])) ?? "agentmap",
    sampleRatio: typeof section["sample_ratio"] === "number" ? section["sample_ratio"] : (envRatio ?? 1),
    captureContent: section["capture_content"] === true,
    resourceAttributes: parsePairs(env["OTEL_RESOURCE_ATTRIBUTES"]),
    metrics: {
      public: metrics["public"] === true,
      exportIntervalSeconds: typeof metrics["export_interval_seconds"] === "number" ? metrics["export_interval_seconds"] : 60
    }
  }
}

/** Where spans go, for `diagnose` and logs: never the headers' values. */
export const describeTelemetry = (t: TelemetryConfig) => ({
  enabled: t.enabled,
  exporter: t.enabled ? t.exporter : "none",
  ...(t.enabled && t.exporter === "otlp" ? { traces_endpoint: tracesUrl(t), metrics_endpoint: `${t.endpoint}/v1/metrics`, headers: Object.keys(t.headers) } : {}),
  service_name: t.serviceName,
  sample_ratio: t.sampleRatio,
  capture_content: t.captureContent
})

export const tracesUrl = (t: TelemetryConfig) => t.tracesEndpoint ?? `${t.endpoint}/v1/traces`
