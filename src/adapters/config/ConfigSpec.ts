/**
 * The shape of agentmap_config.yaml as data: the loader checks a file against it and reports
 * wrong types and values as errors and unknown keys as warnings, each with its path.
 * Sections that later features fill in are `open` until then, so configs written for the
 * original (which carry them) load without noise.
 */
export type Spec =
  | { readonly kind: "string" }
  | { readonly kind: "int"; readonly min?: number }
  | { readonly kind: "number"; readonly min?: number; readonly max?: number }
  | { readonly kind: "bool" }
  | { readonly kind: "enum"; readonly values: ReadonlyArray<string> }
  | { readonly kind: "list"; readonly of: Spec }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Spec>>; readonly open?: boolean }
  | { readonly kind: "either"; readonly options: ReadonlyArray<Spec> }
  | { readonly kind: "any" }

export const str: Spec = { kind: "string" }
export const bool: Spec = { kind: "bool" }
export const int = (min?: number): Spec => (min === undefined ? { kind: "int" } : { kind: "int", min })
export const num = (min?: number, max?: number): Spec => ({ kind: "number", ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) })
export const oneOf = (...values: ReadonlyArray<string>): Spec => ({ kind: "enum", values })
export const list = (of: Spec): Spec => ({ kind: "list", of })
export const obj = (fields: Readonly<Record<string, Spec>>, open = false): Spec => ({ kind: "object", fields, open })
export const either = (...options: ReadonlyArray<Spec>): Spec => ({ kind: "either", options })
export const any: Spec = { kind: "any" }
const open: Spec = obj({}, true)

const mapping = { workflow: str, graph: str, state_key: str, state: any }
const objectMapping = obj({ bucket: str, prefix: str, suffix: str, ...mapping })

/** `triggers:` cloud events that carry no payload, mapped to workflows (decoded in TriggersConfig). */
export const TriggersSpec: Spec = obj({
  s3: list(objectMapping),
  gcs: list(objectMapping),
  schedules: list(obj({ rule: str, ...mapping })),
  dynamodb: list(obj({ table: str, events: list(oneOf("insert", "modify", "remove")), ...mapping })),
  azure: obj({ queue_name: str, connection: str })
})

const providerSpec = obj({ api_key: str, base_url: str, model: str, temperature: num(0, 2), max_tokens: int(1) })

/** `llm:` providers and how calls behave (decoded in LlmConfig). */
export const LlmSpec: Spec = obj({
  openai: providerSpec,
  anthropic: providerSpec,
  google: providerSpec,
  default_provider: str,
  fallback_provider: str,
  timeout_seconds: num(0.1),
  max_retries: int(0),
  retry: obj({ base_delay_seconds: num(0), max_delay_seconds: num(0) }),
  circuit_breaker: obj({ failure_threshold: int(1), reset_seconds: num(0) })
})

/** `routing:` in the original's shape; parts this build does not use (caching) are accepted as they are. */
export const RoutingSpec: Spec = obj({
  enabled: bool,
  routing_matrix: obj({}, true),
  task_types: obj({}, true),
  complexity_analysis: obj({ prompt_length_thresholds: obj({ low: int(0), medium: int(0), high: int(0) }) }, true),
  activities: obj({}, true),
  fallback: obj({ default_provider: str, default_model: str, retry_with_lower_complexity: bool }),
  cost_optimization: open,
  performance: open
})

export const SUCCESS_POLICIES = ["all_nodes", "final_node", "critical_nodes", "custom"] as const

export const ConfigSpec: Spec = obj({
  paths: obj({
    csv_repository: str,
    functions: str,
    custom_agents: str,
    custom_tools: str,
    host_services: str,
    cache: str,
    compiled_graphs: str,
    prompts: str
  }),
  storage: obj(
    {
      csv_repository_path: str,
      cache_folder: str,
      base_directory: str
    },
    true
  ),
  prompts: obj({ directory: str, registry_file: str, enable_cache: bool }),
  cache: obj({ max_bytes: int(0) }),
  execution: obj(
    {
      success_policy: either(
        oneOf(...SUCCESS_POLICIES),
        obj({ type: oneOf(...SUCCESS_POLICIES), critical_nodes: list(str), custom_function: str })
      ),
      max_steps: int(1),
      durability: oneOf("sync", "async", "exit"),
      tracking: obj({ enabled: bool, track_outputs: bool, track_inputs: bool }),
      use_direct_import_agents: bool,
      default_success_policy: oneOf(...SUCCESS_POLICIES),
      enable_checkpoints: bool
    }
  ),
  persistence: obj({
    backend: oneOf("sqlite", "postgres", "memory"),
    sqlite_path: str,
    postgres_url: str,
    postgres_schema: str,
    connect_timeout_seconds: num(0.1),
    lease_seconds: num(0.5),
    memory: obj({ max_finished_threads: int(0), finished_ttl_seconds: num(0), max_threads: int(1) })
  }),
  llm: LlmSpec,
  routing: RoutingSpec,
  auth: obj({
    enabled: bool,
    jwt: obj({
      secret: str,
      jwks_url: str,
      issuer: str,
      audience: str,
      require_exp: bool,
      max_age_seconds: int(1),
      clock_tolerance_seconds: int(0)
    }),
    api_key_required: bool
  }),
  http: obj({
    host: str,
    port: int(0),
    workers: int(1),
    max_body_bytes: int(1),
    heartbeat_seconds: num(0.05),
    shutdown_grace_seconds: num(0),
    keep_alive_timeout_seconds: num(1),
    cors: obj({ allow_origins: list(str), allow_credentials: bool, allow_headers: list(str), max_age_seconds: int(0) }),
    rate_limit: obj({ per_key_per_minute: int(0), per_address_per_minute: int(0) }),
    ui: bool
  }),
  triggers: TriggersSpec,
  /** `mcp.servers.<name>`: decoded and checked in McpConfig. */
  mcp: obj({ servers: obj({}, true) }),
  /** Decoded in LoggingConfig; `log_to_file`, `log_file` and `correlation_id_enabled` are the design document's names. */
  logging: obj({
    level: oneOf("trace", "debug", "info", "warning", "warn", "error", "critical", "fatal", "none"),
    format: oneOf("pretty", "json"),
    file: str,
    file_max_bytes: int(1),
    file_keep: int(0),
    log_to_file: bool,
    log_file: str,
    correlation_id_enabled: bool
  }),
  /** Decoded in TelemetryConfig (with the OTEL_* environment variables). */
  telemetry: obj({
    enabled: bool,
    exporter: oneOf("otlp", "console", "none"),
    endpoint: str,
    headers: obj({}, true),
    service_name: str,
    sample_ratio: num(0, 1),
    capture_content: bool,
    metrics: obj({ public: bool, export_interval_seconds: num(1) })
  }),
  /** Background runs of the LangGraph API (issue 21): the shared queue's limits. */
  queue: obj({ max_pending: int(1), concurrency: int(1), webhook_timeout_seconds: num(0.1) }),
  tracing: open,
  memory: open,
  performance: open,
  csv_path: str,
  autocompile: bool,
  storage_config_path: str
})

/** The design document's short environment names, kept as aliases of the `__` form. */
export const ENV_ALIASES: Readonly<Record<string, ReadonlyArray<string>>> = {
  AGENTMAP_LOG_LEVEL: ["logging", "level"],
  AGENTMAP_CACHE_FOLDER: ["paths", "cache"],
  AGENTMAP_AUTH_ENABLED: ["auth", "enabled"],
  AGENTMAP_PERSISTENCE_BACKEND: ["persistence", "backend"],
  AGENTMAP_POSTGRES_URL: ["persistence", "postgres_url"]
}
