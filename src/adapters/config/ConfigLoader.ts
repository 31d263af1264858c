import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Redacted } from "effect"
import { LineCounter, parseDocument } from "yaml"
import { type Diagnostic, error, hasErrors, warning } from "../../domain/Diagnostic.js"
import { FileNotFound, InvalidConfig } from "../../domain/Errors.js"
import type { SuccessPolicy } from "../../domain/SuccessPolicy.js"
import type { AppConfig } from "./AppConfig.js"
import { ConfigSpec, ENV_ALIASES, type Spec } from "./ConfigSpec.js"
import { decodeLogging } from "./LoggingConfig.js"
import { checkNode, checkValue } from "./SpecCheck.js"
import { DEFAULT_MAX_BYTES } from "../cache/CacheStore.js"
import { decodeLlm } from "./LlmConfig.js"
import { decodeMcp } from "./McpConfig.js"
import { decodeTriggers } from "./TriggersConfig.js"
import { decodeTelemetry } from "./TelemetryConfig.js"

export const CONFIG_FILE_NAME = "agentmap_config.yaml"

export interface LoadOptions {
  /** `--config F`. */
  readonly explicit: string | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  readonly home?: string
}

export interface LoadedConfig {
  readonly config: AppConfig
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

/** `--config` → AGENTMAP_CONFIG_FILE → ./agentmap_config.yaml → ~/.agentmap/agentmap_config.yaml → defaults. */
export const discover = (options: LoadOptions): { file: string | undefined; explicit: boolean } => {
  const explicit = options.explicit ?? options.env["AGENTMAP_CONFIG_FILE"]
  if (explicit !== undefined && explicit !== "") return { file: path.resolve(options.cwd, explicit), explicit: true }
  const candidates = [path.join(options.cwd, CONFIG_FILE_NAME), path.join(options.home ?? os.homedir(), ".agentmap", CONFIG_FILE_NAME)]
  return { file: candidates.find((f) => fs.existsSync(f)), explicit: false }
}

const specAt = (spec: Spec, keys: ReadonlyArray<string>): Spec | undefined => {
  let current: Spec | undefined = spec
  for (const key of keys) {
    if (current === undefined || current.kind !== "object") return current?.kind === "any" ? current : undefined
    current = current.fields[key] ?? (current.open ? { kind: "any" } : undefined)
  }
  return current
}

const setAt = (target: Record<string, unknown>, keys: ReadonlyArray<string>, value: unknown) => {
  let node = target
  for (const key of keys.slice(0, -1)) {
    const next = node[key]
    node = typeof next === "object" && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : (node[key] = {})
  }
  node[keys[keys.length - 1]!] = value
}

/** `AGENTMAP_<SECTION>__<KEY>` (and the short aliases) override keys of the file. */
const applyEnvOverrides = (raw: Record<string, unknown>, env: LoadOptions["env"], diagnostics: Array<Diagnostic>) => {
  const at = { file: "(environment)", line: 1, column: 1 }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.startsWith("AGENTMAP_")) continue
    const keys = ENV_ALIASES[name] ?? (name.includes("__") ? name.slice("AGENTMAP_".length).toLowerCase().split("__") : undefined)
    if (keys === undefined) continue
    const spec = specAt(ConfigSpec, keys)
    if (spec === undefined) {
      diagnostics.push(warning(at, "config-unknown-key", `${name} overrides unknown key '${keys.join(".")}' and is ignored`))
      continue
    }
    const r = checkValue(value, spec.kind === "either" ? spec.options[0]! : spec, true, () => {})
    if (!r.ok) diagnostics.push(error(at, "config-type", `${name} (${keys.join(".")}): ${r.message}`))
    else setAt(raw, keys, r.value)
  }
}

const get = (raw: Record<string, unknown>, ...keys: ReadonlyArray<string>): unknown =>
  keys.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined), raw)

const text = (raw: Record<string, unknown>, ...keys: ReadonlyArray<string>) => {
  const v = get(raw, ...keys)
  return typeof v === "string" && v !== "" ? v : undefined
}

const numberAt = (raw: Record<string, unknown>, keys: ReadonlyArray<string>) => {
  const v = get(raw, ...keys)
  return typeof v === "number" ? v : undefined
}

const stringsAt = (raw: Record<string, unknown>, keys: ReadonlyArray<string>): ReadonlyArray<string> => {
  const v = get(raw, ...keys)
  return Array.isArray(v) ? v.map(String) : []
}

const decodePolicy = (raw: Record<string, unknown>, diagnostics: Array<Diagnostic>, file: string): SuccessPolicy => {
  const value = get(raw, "execution", "success_policy") ?? get(raw, "execution", "default_success_policy")
  const type = typeof value === "string" ? value : (text(raw, "execution", "success_policy", "type") ?? "all_nodes")
  switch (type) {
    case "final_node":
      return { _tag: "FinalNode" }
    case "critical_nodes": {
      const nodes = get(raw, "execution", "success_policy", "critical_nodes")
      if (!Array.isArray(nodes) || nodes.length === 0)
        diagnostics.push(error({ file, line: 1, column: 1 }, "config-value", "execution.success_policy: critical_nodes needs a non-empty critical_nodes list"))
      return { _tag: "CriticalNodes", nodes: Array.isArray(nodes) ? nodes.map(String) : [] }
    }
    case "custom": {
      const fn = text(raw, "execution", "success_policy", "custom_function")
      if (fn === undefined)
        diagnostics.push(error({ file, line: 1, column: 1 }, "config-value", "execution.success_policy: custom needs custom_function, the name of a function in the functions folder"))
      return { _tag: "Custom", functionName: fn ?? "" }
    }
    default:
      return { _tag: "AllNodes" }
  }
}

const decode = (file: string | undefined, raw: Record<string, unknown>, cwd: string, env: LoadOptions["env"], diagnostics: Array<Diagnostic>): AppConfig => {
  const base = file === undefined ? cwd : path.dirname(file)
  const abs = (p: string) => path.resolve(base, p.startsWith("~/") ? path.join(os.homedir(), p.slice(2)) : p)
  const promptsDirectory = abs(text(raw, "prompts", "directory") ?? text(raw, "paths", "prompts") ?? "prompts")
  const cache = abs(text(raw, "paths", "cache") ?? text(raw, "storage", "cache_folder") ?? ".agentmap")
  const backend = (text(raw, "persistence", "backend") ?? "sqlite") as AppConfig["persistence"]["backend"]
  const postgresUrl = text(raw, "persistence", "postgres_url")
  if (backend === "postgres" && postgresUrl === undefined)
    diagnostics.push(
      error(
        { file: file ?? "(environment)", line: 1, column: 1 },
        "config-value",
        "persistence.backend is postgres but persistence.postgres_url is not set (or set AGENTMAP_POSTGRES_URL)"
      )
    )
  const seconds = (key: string, fallback: number) => {
    const v = get(raw, "persistence", key)
    return (typeof v === "number" ? v : fallback) * 1000
  }
  return {
    file,
    paths: {
      csvRepository: abs(text(raw, "paths", "csv_repository") ?? text(raw, "storage", "csv_repository_path") ?? "workflows"),
      functions: abs(text(raw, "paths", "functions") ?? "functions"),
      customAgents: abs(text(raw, "paths", "custom_agents") ?? "custom_agents"),
      customTools: abs(text(raw, "paths", "custom_tools") ?? "custom_tools"),
      hostServices: abs(text(raw, "paths", "host_services") ?? "host_services"),
      cache,
      promptsDirectory,
      promptRegistry: text(raw, "prompts", "registry_file") !== undefined ? abs(text(raw, "prompts", "registry_file")!) : path.join(promptsDirectory, "registry.yaml"),
      storage: abs(text(raw, "storage", "base_directory") ?? "data")
    },
    cache: { maxBytes: numberAt(raw, ["cache", "max_bytes"]) ?? DEFAULT_MAX_BYTES },
    execution: {
      successPolicy: decodePolicy(raw, diagnostics, file ?? "(environment)"),
      maxSteps: typeof get(raw, "execution", "max_steps") === "number" ? (get(raw, "execution", "max_steps") as number) : undefined,
      trackExecutions: get(raw, "execution", "tracking", "enabled") !== false,
      durability: (text(raw, "execution", "durability") ?? "sync") as AppConfig["execution"]["durability"]
    },
    persistence: {
      backend,
      sqlitePath: text(raw, "persistence", "sqlite_path") !== undefined ? abs(text(raw, "persistence", "sqlite_path")!) : path.join(cache, "agentmap.db"),
      postgresUrl,
      postgresSchema: text(raw, "persistence", "postgres_schema") ?? "public",
      connectTimeoutMillis: seconds("connect_timeout_seconds", 5),
      leaseMillis: seconds("lease_seconds", 30),
      memory: {
        maxFinishedThreads: numberAt(raw, ["persistence", "memory", "max_finished_threads"]) ?? 1000,
        finishedTtlMillis: (numberAt(raw, ["persistence", "memory", "finished_ttl_seconds"]) ?? 3600) * 1000,
        maxThreads: numberAt(raw, ["persistence", "memory", "max_threads"]) ?? 10_000
      }
    },
    auth: {
      enabled: get(raw, "auth", "enabled") !== false,
      jwt: {
        secret: text(raw, "auth", "jwt", "secret") !== undefined ? Redacted.make(text(raw, "auth", "jwt", "secret")!) : undefined,
        jwksUrl: text(raw, "auth", "jwt", "jwks_url"),
        issuer: text(raw, "auth", "jwt", "issuer"),
        audience: text(raw, "auth", "jwt", "audience"),
        requireExp: get(raw, "auth", "jwt", "require_exp") !== false,
        maxAgeSeconds: numberAt(raw, ["auth", "jwt", "max_age_seconds"]),
        clockToleranceSeconds: numberAt(raw, ["auth", "jwt", "clock_tolerance_seconds"]) ?? 30
      }
    },
    http: {
      host: text(raw, "http", "host") ?? "127.0.0.1",
      port: numberAt(raw, ["http", "port"]) ?? 8000,
      workers: numberAt(raw, ["http", "workers"]) ?? 1,
      maxBodyBytes: numberAt(raw, ["http", "max_body_bytes"]) ?? 10 * 1024 * 1024,
      heartbeatMillis: (numberAt(raw, ["http", "heartbeat_seconds"]) ?? 15) * 1000,
      shutdownGraceMillis: (numberAt(raw, ["http", "shutdown_grace_seconds"]) ?? 10) * 1000,
      keepAliveTimeoutMillis: (numberAt(raw, ["http", "keep_alive_timeout_seconds"]) ?? 65) * 1000,
      cors: {
        allowOrigins: stringsAt(raw, ["http", "cors", "allow_origins"]),
        allowCredentials: get(raw, "http", "cors", "allow_credentials") === true,
        allowHeaders: stringsAt(raw, ["http", "cors", "allow_headers"]),
        maxAgeSeconds: numberAt(raw, ["http", "cors", "max_age_seconds"]) ?? 600
      },
      rateLimit: {
        perKeyPerMinute: numberAt(raw, ["http", "rate_limit", "per_key_per_minute"]) ?? 0,
        perAddressPerMinute: numberAt(raw, ["http", "rate_limit", "per_address_per_minute"]) ?? 0
      },
      ui: get(raw, "http", "ui") !== false
    },
    llm: decodeLlm(raw["llm"], raw["routing"], env, file ?? "(environment)", diagnostics),
    mcp: decodeMcp(raw["mcp"], base, file ?? "(environment)", diagnostics),
    logging: decodeLogging(raw["logging"], abs),
    triggers: decodeTriggers(raw["triggers"], file ?? "(environment)", diagnostics),
    telemetry: decodeTelemetry(raw["telemetry"], env, file ?? "(environment)", diagnostics),
    queue: {
      maxPending: numberAt(raw, ["queue", "max_pending"]) ?? 10_000,
      concurrency: numberAt(raw, ["queue", "concurrency"]) ?? 4,
      webhookTimeoutMillis: (numberAt(raw, ["queue", "webhook_timeout_seconds"]) ?? 10) * 1000
    },
    raw
  }
}

/** Finds, reads and checks the configuration. Errors fail with every diagnostic; warnings come back with the config. */
export const loadConfig = (options: LoadOptions): Effect.Effect<LoadedConfig, InvalidConfig | FileNotFound> =>
  Effect.gen(function* () {
    const { file, explicit } = discover(options)
    const diagnostics: Array<Diagnostic> = []
    let raw: Record<string, unknown> = {}
    if (file !== undefined) {
      const source = yield* Effect.try({
        try: () => fs.readFileSync(file, "utf8"),
        catch: () =>
          new FileNotFound({
            path: file,
            message: `config file '${file}' not found${explicit && options.explicit === undefined ? " (named by AGENTMAP_CONFIG_FILE)" : ""}`
          })
      })
      const lines = new LineCounter()
      const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false })
      for (const e of doc.errors) {
        const pos = lines.linePos(e.pos[0])
        diagnostics.push(error({ file, line: pos.line, column: pos.col }, "config-syntax", `invalid YAML: ${e.message.split("\n")[0]}`))
      }
      if (doc.errors.length === 0 && doc.contents !== null) {
        const checked = checkNode(doc.contents, ConfigSpec, [], { file, lines, env: options.env, diagnostics })
        if (typeof checked === "object" && checked !== null) raw = checked as Record<string, unknown>
        else if (checked !== undefined) diagnostics.push(error({ file, line: 1, column: 1 }, "config-type", "the config file must be a mapping of sections"))
      }
    }
    applyEnvOverrides(raw, options.env, diagnostics)
    const config = decode(file, raw, options.cwd, options.env, diagnostics)
    if (hasErrors(diagnostics))
      return yield* Effect.fail(
        new InvalidConfig({ file: file ?? "(environment)", diagnostics, message: `configuration ${file ?? "(environment)"} has errors` })
      )
    return { config, diagnostics }
  })
