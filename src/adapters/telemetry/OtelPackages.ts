/**
 * The OpenTelemetry JS packages, one namespace each: the CLI build bundles this file as
 * dist/otel.cjs, apart from the CLI's own bundle, and points every import of these packages there
 * (scripts/build.mjs), so the CLI reads and compiles the SDK only when telemetry is enabled.
 */
export * as api from "@opentelemetry/api"
export * as exporterMetricsOtlpHttp from "@opentelemetry/exporter-metrics-otlp-http"
export * as exporterTraceOtlpHttp from "@opentelemetry/exporter-trace-otlp-http"
export * as resources from "@opentelemetry/resources"
export * as sdkMetrics from "@opentelemetry/sdk-metrics"
export * as sdkTraceBase from "@opentelemetry/sdk-trace-base"
export * as semanticConventions from "@opentelemetry/semantic-conventions"
