import { Effect, Redacted } from "effect"
import { type Check, fail, ok, warn } from "../../domain/Diagnosis.js"
import { isJsonObject } from "../../domain/Json.js"
import { PROVIDERS, type Provider } from "../../domain/Llm.js"
import type { LlmConfig, ProviderConfig } from "../config/LlmConfig.js"
import { keyVariable } from "../config/LlmConfig.js"

export interface ProbeReport {
  readonly ok: boolean
  /** The HTTP status, when the provider answered. */
  readonly status?: number
  readonly latency_ms: number
  readonly error?: string
}

export interface ProviderReport {
  readonly configured: boolean
  /** Where the key comes from (`set (env OPENAI_API_KEY)`), never the key. */
  readonly key: string
  readonly base_url: string
  readonly model: string
  /** Nodes of the diagnosed workflow that call this provider. */
  readonly needed_by?: ReadonlyArray<string>
  readonly probe?: ProbeReport
}

const ENV_NAMES: Readonly<Record<Provider, ReadonlyArray<string>>> = {
  openai: ["OPENAI_API_KEY"],
  anthropic: ["ANTHROPIC_API_KEY"],
  google: ["GOOGLE_API_KEY", "GEMINI_API_KEY"]
}

/** Where a provider's key was found: the config file, or which environment variable. */
const keySource = (provider: Provider, config: ProviderConfig, raw: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>) => {
  if (config.apiKey === undefined) return config.customBaseUrl ? "not set (a key-less server at base_url)" : "not set"
  const llm = raw["llm"]
  const section = isJsonObject(llm) ? llm[provider] : undefined
  const fromFile = isJsonObject(section) && section["api_key"] !== undefined
  const variable = ENV_NAMES[provider].find((name) => env[name] !== undefined && env[name] !== "")
  return fromFile ? `set (config llm.${provider}.api_key)` : `set (env ${variable ?? keyVariable(provider)})`
}

/** One cheap authenticated request: the provider's list of models. */
const probeRequest = (provider: Provider, config: ProviderConfig): { url: string; headers: Record<string, string> } => {
  const key = config.apiKey === undefined ? undefined : Redacted.value(config.apiKey)
  switch (provider) {
    case "openai":
      return { url: `${config.baseUrl}/models`, headers: key === undefined ? {} : { authorization: `Bearer ${key}` } }
    case "anthropic":
      return { url: `${config.baseUrl}/v1/models`, headers: { "anthropic-version": "2023-06-01", ...(key === undefined ? {} : { "x-api-key": key }) } }
    case "google":
      return { url: `${config.baseUrl}/v1beta/models`, headers: key === undefined ? {} : { "x-goog-api-key": key } }
  }
}

const probe = (provider: Provider, config: ProviderConfig, timeoutMillis: number): Effect.Effect<ProbeReport> =>
  Effect.promise(async () => {
    const { url, headers } = probeRequest(provider, config)
    const start = Date.now()
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMillis) })
      await response.body?.cancel().catch(() => undefined)
      const latency = Date.now() - start
      return response.ok ? { ok: true, status: response.status, latency_ms: latency } : { ok: false, status: response.status, latency_ms: latency, error: `HTTP ${response.status}` }
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : ""
      return { ok: false, latency_ms: Date.now() - start, error: `${e instanceof Error ? e.message : String(e)}${cause}` }
    }
  })

export interface ProviderCheckOptions {
  readonly llm: LlmConfig
  readonly raw: Readonly<Record<string, unknown>>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly probe: boolean
  /** Providers a diagnosed workflow calls, with the nodes calling them: without a key these are ✖. */
  readonly needed: ReadonlyMap<Provider, ReadonlyArray<string>>
}

export const checkProviders = (o: ProviderCheckOptions): Effect.Effect<{ readonly reports: Readonly<Record<Provider, ProviderReport>>; readonly checks: ReadonlyArray<Check> }> =>
  Effect.gen(function* () {
    const reports: Partial<Record<Provider, ProviderReport>> = {}
    const checks: Array<Check> = []
    for (const provider of PROVIDERS) {
      const config = o.llm.providers[provider]
      const configured = config.apiKey !== undefined || config.customBaseUrl
      const needed = o.needed.get(provider)
      const key = keySource(provider, config, o.raw, o.env)
      const tested = o.probe && configured ? yield* probe(provider, config, Math.min(o.llm.timeoutMillis, 15_000)) : undefined
      reports[provider] = {
        configured,
        key,
        base_url: config.baseUrl,
        model: config.model,
        ...(needed !== undefined ? { needed_by: needed } : {}),
        ...(tested !== undefined ? { probe: tested } : {})
      }
      const where = `key ${key}, ${config.baseUrl}`
      const setIt = `set ${ENV_NAMES[provider].join(" or ")} (or llm.${provider}.api_key: env:${keyVariable(provider)} in agentmap_config.yaml)`
      if (!configured) {
        checks.push(
          needed !== undefined
            ? fail("llm", provider, `no key, and the workflow calls ${provider} (node${needed.length === 1 ? "" : "s"} ${needed.join(", ")})`, setIt)
            : warn("llm", provider, "no key (optional: only workflows that call it need one)", setIt)
        )
        continue
      }
      if (tested !== undefined && !tested.ok) {
        const detail = `${where}: probe failed (${tested.error ?? "no answer"}) after ${tested.latency_ms} ms`
        const advice = tested.status === 401 || tested.status === 403 ? `the key was refused: ${setIt} to a valid key` : `check llm.${provider}.base_url and the network`
        checks.push(needed !== undefined ? fail("llm", provider, detail, advice) : warn("llm", provider, detail, advice))
        continue
      }
      checks.push(ok("llm", provider, tested !== undefined ? `${where}: GET models ${tested.status} in ${tested.latency_ms} ms` : where))
    }
    return { reports: reports as Record<Provider, ProviderReport>, checks }
  })
