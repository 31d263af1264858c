import { Context } from "effect"

/** What the HTTP adapter needs from configuration. */
export interface HttpSettingsShape {
  readonly authEnabled: boolean
  readonly maxBodyBytes: number
  readonly heartbeatMillis: number
  readonly rateLimit: { readonly perKeyPerMinute: number; readonly perAddressPerMinute: number }
  readonly cors: { readonly allowOrigins: ReadonlyArray<string>; readonly allowCredentials: boolean; readonly allowHeaders: ReadonlyArray<string>; readonly maxAgeSeconds: number }
  readonly version: string
  /** `telemetry.metrics.public`: GET /metrics needs no credential. */
  readonly metricsPublic: boolean
  /** `http.ui`: the web inspector at /ui (default on). */
  readonly ui: boolean
  /** Describes the deployment for /admin/diagnose (no secrets). */
  readonly describe: Readonly<Record<string, unknown>>
}

export class HttpSettings extends Context.Tag("agentmap/adapters/HttpSettings")<HttpSettings, HttpSettingsShape>() {}
