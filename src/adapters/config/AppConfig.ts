import type { Redacted } from "effect"
import type { SuccessPolicy } from "../../domain/SuccessPolicy.js"
import type { TriggerConfig } from "../../domain/TriggerMapping.js"
import type { LlmConfig } from "./LlmConfig.js"
import type { LoggingConfig } from "./LoggingConfig.js"
import type { McpConfig } from "./McpConfig.js"
import type { TelemetryConfig } from "./TelemetryConfig.js"

/** Decoded configuration with every path absolute. */
export interface AppConfig {
  /** The config file used, or undefined when running on defaults. */
  readonly file: string | undefined
  readonly paths: {
    readonly csvRepository: string
    readonly functions: string
    readonly customAgents: string
    /** Where tool modules are looked for and scaffolded (`paths.custom_tools`, default `custom_tools`). */
    readonly customTools: string
    /** The module that default-exports the host services record (`paths.host_services`; an extension may be left off). */
    readonly hostServices: string
    readonly cache: string
    readonly promptsDirectory: string
    readonly promptRegistry: string
    /** Where csv/json/file reader and writer agents work (`storage.base_directory`, default `data`). */
    readonly storage: string
  }
  /** The compile cache under `paths.cache` (`cache:`). */
  readonly cache: {
    /** `cache.max_bytes`: least recently used entries are evicted beyond it. */
    readonly maxBytes: number
  }
  readonly execution: {
    readonly successPolicy: SuccessPolicy
    readonly maxSteps: number | undefined
    readonly trackExecutions: boolean
    readonly durability: "sync" | "async" | "exit"
  }
  readonly persistence: {
    readonly backend: "sqlite" | "postgres" | "memory"
    readonly sqlitePath: string
    readonly postgresUrl: string | undefined
    readonly postgresSchema: string
    readonly connectTimeoutMillis: number
    readonly leaseMillis: number
    /** Bounds of the memory store (persistence.memory): finished threads go first, suspended ones only past maxThreads. */
    readonly memory: { readonly maxFinishedThreads: number; readonly finishedTtlMillis: number; readonly maxThreads: number }
  }
  readonly auth: {
    readonly enabled: boolean
    readonly jwt: {
      readonly secret: Redacted.Redacted<string> | undefined
      readonly jwksUrl: string | undefined
      readonly issuer: string | undefined
      readonly audience: string | undefined
      /** Refuse tokens without `exp` (`auth.jwt.require_exp`, default true). */
      readonly requireExp: boolean
      /** Refuse tokens whose `iat` is older than this (or that have no `iat`); undefined: no limit. */
      readonly maxAgeSeconds: number | undefined
      /** Leeway for `exp`, `nbf` and `iat` against this machine's clock (default 30). */
      readonly clockToleranceSeconds: number
    }
  }
  readonly http: {
    readonly host: string
    readonly port: number
    readonly workers: number
    readonly maxBodyBytes: number
    readonly heartbeatMillis: number
    readonly shutdownGraceMillis: number
    /** How long an idle keep-alive connection stays open: longer than the idle timeout of a load balancer in front. */
    readonly keepAliveTimeoutMillis: number
    readonly cors: { readonly allowOrigins: ReadonlyArray<string>; readonly allowCredentials: boolean; readonly allowHeaders: ReadonlyArray<string>; readonly maxAgeSeconds: number }
    readonly rateLimit: { readonly perKeyPerMinute: number; readonly perAddressPerMinute: number }
    /** `http.ui`: serve the web inspector at /ui (default true). */
    readonly ui: boolean
  }
  /** Model providers, call resilience and model routing. */
  readonly llm: LlmConfig
  /** MCP servers whose tools nodes use (`Tool_Source` `mcp:name`). */
  readonly mcp: McpConfig
  /** `logging:`: level, format, file and its rotation. */
  readonly logging: LoggingConfig
  /** Traces and metrics over OpenTelemetry (`telemetry:`, OTEL_* variables); `telemetry.metrics.public` opens GET /metrics. */
  readonly telemetry: TelemetryConfig
  /** Background runs (`queue:`): beyond `maxPending` waiting jobs a new one is refused (429); each consumer runs `concurrency` at a time. */
  readonly queue: { readonly maxPending: number; readonly concurrency: number; readonly webhookTimeoutMillis: number }
  /** Cloud events without a payload of their own, mapped to workflows. */
  readonly triggers: TriggerConfig
  /** The whole checked document, for sections read by later features. */
  readonly raw: Readonly<Record<string, unknown>>
}
