import { Context, type Effect } from "effect"

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
