import { Effect, Layer } from "effect"
import type { TelemetryConfig } from "../config/TelemetryConfig.js"
import { CaptureContent, TelemetryControl } from "./TelemetryControl.js"

export { CaptureContent, TelemetryControl }

const disabled = Layer.succeed(TelemetryControl, { enabled: false, flush: Effect.void })

/**
 * Traces and metrics over OpenTelemetry when `telemetry.enabled`; otherwise nothing: the SDK is
 * imported only here, on demand, so a process with telemetry off never loads (or parses) it, and
 * spans stay on Effect's own tracer (their ids still reach the result document and the logs).
 */
export const layer = (config: TelemetryConfig, serviceVersion: string): Layer.Layer<TelemetryControl> =>
  !config.enabled
    ? disabled
    : Layer.unwrapEffect(Effect.promise(() => import("./OtelSdk.js")).pipe(Effect.map((sdk) => sdk.layer(config, serviceVersion)))).pipe(
        Layer.merge(Layer.succeed(CaptureContent, config.captureContent))
      )
