import * as OtelMetrics from "@effect/opentelemetry/Metrics"
import * as OtelResource from "@effect/opentelemetry/Resource"
import * as OtelTracer from "@effect/opentelemetry/Tracer"
import { DiagConsoleLogger, DiagLogLevel, diag } from "@opentelemetry/api"
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import { type MetricReader, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics"
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type SpanProcessor,
  TraceIdRatioBasedSampler
} from "@opentelemetry/sdk-trace-base"
import { Duration, Effect, Layer, Redacted } from "effect"
import { type TelemetryConfig, tracesUrl } from "../config/TelemetryConfig.js"
import { withArrayAttributes } from "./ArrayAttributes.js"
import { StderrSpanExporter } from "./StderrSpanExporter.js"
import { TelemetryControl } from "./TelemetryControl.js"

/** How long a flush (and the shutdown at exit) may wait for the collector. */
const FLUSH_TIMEOUT = Duration.seconds(5)

const headersOf = (config: TelemetryConfig) => Object.fromEntries(Object.entries(config.headers).map(([k, v]) => [k, Redacted.value(v)]))

/**
 * The OpenTelemetry JS SDK behind Effect's tracer and metric registry: spans batched to an OTLP/HTTP
 * collector (JSON) or the console, Effect's metrics read periodically and pushed to the same
 * collector. Loaded only when telemetry is enabled (see Telemetry.layer).
 */
export const layer = (config: TelemetryConfig, serviceVersion: string): Layer.Layer<TelemetryControl> => {
  // OTEL_LOG_LEVEL=debug|info|warn|error: the SDK's own account of what it exports and why it fails
  const level = process.env["OTEL_LOG_LEVEL"]?.toUpperCase()
  if (level !== undefined && level in DiagLogLevel) diag.setLogger(new DiagConsoleLogger(), DiagLogLevel[level as keyof typeof DiagLogLevel])
  const headers = headersOf(config)
  const processors: Array<SpanProcessor> =
    config.exporter === "otlp"
      ? [new BatchSpanProcessor(withArrayAttributes(new OTLPTraceExporter({ url: tracesUrl(config), headers })), { scheduledDelayMillis: 1000 })]
      : config.exporter === "console"
        ? [new BatchSpanProcessor(withArrayAttributes(new StderrSpanExporter()), { scheduledDelayMillis: 1000 })]
        : []
  const readers: Array<MetricReader> =
    config.exporter !== "otlp"
      ? []
      : [
          new PeriodicExportingMetricReader({
            exporter: new OTLPMetricExporter({ url: `${config.endpoint}/v1/metrics`, headers }),
            exportIntervalMillis: config.metrics.exportIntervalSeconds * 1000
          })
        ]
  const flush = Effect.promise(() => Promise.all([...processors.map((p) => p.forceFlush()), ...readers.map((r) => r.forceFlush())])).pipe(
    Effect.timeoutOption(FLUSH_TIMEOUT),
    Effect.catchAllCause(() => Effect.void),
    Effect.asVoid
  )
  const resource = OtelResource.layer({ serviceName: config.serviceName, serviceVersion, attributes: { ...config.resourceAttributes } })
  const provider = Layer.scoped(
    OtelTracer.OtelTracerProvider,
    Effect.flatMap(OtelResource.Resource, (res) =>
      Effect.acquireRelease(
        Effect.sync(
          () =>
            new BasicTracerProvider({
              resource: res,
              sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
              spanProcessors: processors
            })
        ),
        // at the end of the process (a CLI command, serve's shutdown): what is buffered goes out first
        (p) => Effect.promise(() => p.shutdown()).pipe(Effect.timeoutOption(FLUSH_TIMEOUT), Effect.catchAllCause(() => Effect.void))
      )
    )
  )
  const tracing = OtelTracer.layer.pipe(Layer.provide(provider))
  const metrics = readers.length > 0 ? OtelMetrics.layer(() => readers as [MetricReader, ...Array<MetricReader>], { shutdownTimeout: FLUSH_TIMEOUT }) : Layer.empty
  return Layer.mergeAll(tracing, metrics, Layer.succeed(TelemetryControl, { enabled: true, flush })).pipe(Layer.provide(resource))
}
