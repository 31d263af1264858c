import { Context, Effect, Layer } from "effect"
import type { TelemetryConfig } from "../config/TelemetryConfig.js"

/** What adapters need from telemetry at run time: pushing what is buffered (before a CLI exits, before a cloud invocation returns). */
export class TelemetryControl extends Context.Tag("agentmap/TelemetryControl")<
  TelemetryControl,
  {
    readonly enabled: boolean
    /** Exports the spans and metrics buffered so far; never fails (an unreachable collector is logged by the SDK, not the run's problem). */
    readonly flush: Effect.Effect<void>
  }
>() {}

/**
 * Whether LLM spans carry prompts and completions (`telemetry.capture_content`). A reference, so
 * adapters read it without requiring it: off unless the telemetry layer says otherwise.
 */
export class CaptureContent extends Context.Reference<CaptureContent>()("agentmap/CaptureContent", { defaultValue: () => false }) {}

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
