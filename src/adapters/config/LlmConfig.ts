import { Redacted } from "effect"
import { type Diagnostic, error } from "../../domain/Diagnostic.js"
import { isJsonObject } from "../../domain/Json.js"
import { PROVIDERS, type Provider, providerNamed } from "../../domain/Llm.js"
import { COMPLEXITIES, type Complexity, DEFAULT_MATRIX, DEFAULT_TASK_TYPES, type ModelChoice, type RoutingConfig, type TaskType, complexityAt, providerList } from "../../domain/ModelRouting.js"

export interface ProviderConfig {
  /** Never printed: `Redacted` shows as `<redacted>`. */
  readonly apiKey: Redacted.Redacted<string> | undefined
  readonly baseUrl: string
  /** Whether a base URL was configured (a local OpenAI-compatible server needs no key). */
  readonly customBaseUrl: boolean
  readonly model: string
  readonly temperature: number | undefined
  readonly maxTokens: number | undefined
}

/** The `llm:` and `routing:` sections, decoded with defaults. */
export interface LlmConfig {
  readonly defaultProvider: Provider
  readonly fallbackProvider: Provider | undefined
  readonly providers: Readonly<Record<Provider, ProviderConfig>>
  readonly timeoutMillis: number
  readonly maxRetries: number
  readonly retryBaseMillis: number
  readonly retryMaxMillis: number
  readonly circuit: { readonly failureThreshold: number; readonly resetMillis: number }
  readonly routing: RoutingConfig
}

const DEFAULTS: Readonly<Record<Provider, { readonly baseUrl: string; readonly model: string; readonly maxTokens: number | undefined; readonly env: ReadonlyArray<string> }>> = {
  openai: { baseUrl: "https://api.openai.com/v1", model: "gpt-4o-mini", maxTokens: undefined, env: ["OPENAI_API_KEY"] },
  anthropic: { baseUrl: "https://api.anthropic.com", model: "claude-3-5-haiku-latest", maxTokens: 1024, env: ["ANTHROPIC_API_KEY"] },
  google: { baseUrl: "https://generativelanguage.googleapis.com", model: "gemini-1.5-flash", maxTokens: undefined, env: ["GOOGLE_API_KEY", "GEMINI_API_KEY"] }
}

/** A provider can be called with a key, or with a base URL of its own (local servers often need none). */
export const isConfigured = (provider: ProviderConfig) => provider.apiKey !== undefined || provider.customBaseUrl

/** The environment variable a provider's key is read from when the file has none. */
export const keyVariable = (provider: Provider) => DEFAULTS[provider].env[0]!

type Raw = Readonly<Record<string, unknown>>
const section = (raw: unknown, key: string): Raw => (isJsonObject(raw) && isJsonObject(raw[key]) ? raw[key] : {})
const text = (raw: Raw, key: string) => (typeof raw[key] === "string" && (raw[key] as string).trim() !== "" ? (raw[key] as string).trim() : undefined)
const num = (raw: Raw, key: string) => (typeof raw[key] === "number" ? (raw[key] as number) : undefined)
const words = (v: unknown) => (Array.isArray(v) ? v.filter((w): w is string => typeof w === "string") : [])

const providerConfig = (raw: Raw, provider: Provider, env: Readonly<Record<string, string | undefined>>): ProviderConfig => {
  const s = section(raw, provider)
  const d = DEFAULTS[provider]
  const key = text(s, "api_key") ?? d.env.map((name) => env[name]).find((v) => v !== undefined && v !== "")
  const baseUrl = text(s, "base_url")
  return {
    apiKey: key === undefined ? undefined : Redacted.make(key),
    baseUrl: (baseUrl ?? d.baseUrl).replace(/\/+$/, ""),
    customBaseUrl: baseUrl !== undefined,
    model: text(s, "model") ?? d.model,
    temperature: num(s, "temperature"),
    maxTokens: num(s, "max_tokens") ?? d.maxTokens
  }
}

const choice = (raw: unknown): ModelChoice | undefined => {
  if (!isJsonObject(raw)) return undefined
  const provider = providerNamed(raw["provider"])
  const model = typeof raw["model"] === "string" ? raw["model"] : undefined
  return provider !== undefined && model !== undefined ? { provider, model } : undefined
}

/**
 * `routing:` in the original's shape: `routing_matrix` (provider → complexity → model),
 * `task_types` (provider_preference, default_complexity, complexity_keywords),
 * `complexity_analysis.prompt_length_thresholds` (the upper bound of low, medium, high),
 * `activities` (primary + fallbacks), `fallback` (default_provider, default_model,
 * retry_with_lower_complexity). Missing parts keep the defaults.
 */
export const decodeRouting = (raw: unknown, file: string, diagnostics: Array<Diagnostic>): RoutingConfig => {
  const at = { file, line: 1, column: 1 }
  const matrixRaw = section(raw, "routing_matrix")
  const matrix: Record<string, Partial<Record<Complexity, string>>> = { ...DEFAULT_MATRIX }
  for (const [name, levels] of Object.entries(matrixRaw)) {
    const provider = providerNamed(name)
    if (provider === undefined) {
      diagnostics.push(error(at, "config-value", `routing.routing_matrix.${name}: unknown provider (use ${PROVIDERS.join(", ")})`))
      continue
    }
    if (isJsonObject(levels)) matrix[provider] = { ...matrix[provider], ...Object.fromEntries(COMPLEXITIES.flatMap((c) => (typeof levels[c] === "string" ? [[c, levels[c]]] : []))) }
  }
  const taskTypes: Record<string, TaskType> = { ...DEFAULT_TASK_TYPES }
  for (const [name, t] of Object.entries(section(raw, "task_types"))) {
    if (!isJsonObject(t)) continue
    const base = taskTypes[name] ?? DEFAULT_TASK_TYPES["general"]!
    const keywords = section(t, "complexity_keywords")
    taskTypes[name] = {
      providerPreference: providerList(t["provider_preference"]) ?? base.providerPreference,
      defaultComplexity: complexityAt(t["default_complexity"]) ?? base.defaultComplexity,
      keywords: Object.keys(keywords).length === 0 ? base.keywords : Object.fromEntries(COMPLEXITIES.map((c) => [c, words(keywords[c])]))
    }
  }
  const thresholds = section(section(raw, "complexity_analysis"), "prompt_length_thresholds")
  const activities = Object.fromEntries(
    Object.entries(section(raw, "activities")).flatMap(([name, a]) => {
      const primary = isJsonObject(a) ? choice(a["primary"]) : undefined
      if (primary === undefined) {
        diagnostics.push(error(at, "config-value", `routing.activities.${name}.primary needs a provider and a model`))
        return []
      }
      const fallbacks = isJsonObject(a) && Array.isArray(a["fallbacks"]) ? a["fallbacks"].map(choice).filter((c): c is ModelChoice => c !== undefined) : []
      return [[name, { primary, fallbacks }]]
    })
  )
  const fallback = section(raw, "fallback")
  const fallbackProvider = providerNamed(fallback["default_provider"])
  const fallbackModel = text(fallback, "default_model") ?? (fallbackProvider !== undefined ? DEFAULT_MATRIX[fallbackProvider]?.low : undefined)
  return {
    enabled: isJsonObject(raw) ? raw["enabled"] !== false : true,
    matrix,
    taskTypes,
    lengthThresholds: { medium: num(thresholds, "low") ?? 500, high: num(thresholds, "medium") ?? 2000, critical: num(thresholds, "high") ?? 8000 },
    activities,
    fallback: fallbackProvider !== undefined && fallbackModel !== undefined ? { provider: fallbackProvider, model: fallbackModel } : undefined,
    retryWithLowerComplexity: fallback["retry_with_lower_complexity"] !== false
  }
}

/** `llm:` with each provider's key from the file (`env:` values resolved) or the usual environment variable. */
export const decodeLlm = (raw: unknown, routing: unknown, env: Readonly<Record<string, string | undefined>>, file: string, diagnostics: Array<Diagnostic>): LlmConfig => {
  const s = isJsonObject(raw) ? raw : {}
  const at = { file, line: 1, column: 1 }
  const providerAt = (key: string): Provider | undefined => {
    const value = text(s, key)
    if (value === undefined) return undefined
    const p = providerNamed(value)
    if (p === undefined) diagnostics.push(error(at, "config-value", `llm.${key}: unknown provider '${value}' (use ${PROVIDERS.join(", ")})`))
    return p
  }
  const breaker = section(s, "circuit_breaker")
  const retry = section(s, "retry")
  return {
    defaultProvider: providerAt("default_provider") ?? "openai",
    fallbackProvider: providerAt("fallback_provider"),
    providers: { openai: providerConfig(s, "openai", env), anthropic: providerConfig(s, "anthropic", env), google: providerConfig(s, "google", env) },
    timeoutMillis: (num(s, "timeout_seconds") ?? 60) * 1000,
    maxRetries: num(s, "max_retries") ?? 3,
    retryBaseMillis: (num(retry, "base_delay_seconds") ?? 0.5) * 1000,
    retryMaxMillis: (num(retry, "max_delay_seconds") ?? 20) * 1000,
    circuit: { failureThreshold: num(breaker, "failure_threshold") ?? 5, resetMillis: (num(breaker, "reset_seconds") ?? 30) * 1000 },
    routing: decodeRouting(routing, file, diagnostics)
  }
}
