import { type Provider, providerNamed } from "./Llm.js"

/** How demanding a request is; the routing matrix has a model per provider and level. */
export const COMPLEXITIES = ["low", "medium", "high", "critical"] as const
export type Complexity = (typeof COMPLEXITIES)[number]

export interface TaskType {
  readonly providerPreference: ReadonlyArray<Provider>
  readonly defaultComplexity: Complexity
  /** Words in the prompt or inputs that raise the complexity to at least that level. */
  readonly keywords: Partial<Record<Complexity, ReadonlyArray<string>>>
}

export interface ModelChoice {
  readonly provider: Provider
  readonly model: string
}

/** The `routing:` config section, decoded (defaults filled in). */
export interface RoutingConfig {
  /** `routing.enabled: false` turns routing off: `routing_enabled` nodes use their provider's model. */
  readonly enabled: boolean
  readonly matrix: Partial<Record<Provider, Partial<Record<Complexity, string>>>>
  readonly taskTypes: Readonly<Record<string, TaskType>>
  /** Prompt + input length (characters) from which a request counts as medium, high, critical. */
  readonly lengthThresholds: { readonly medium: number; readonly high: number; readonly critical: number }
  /** Named activities pinned to a model, with their own fallbacks (Context `activity`). */
  readonly activities: Readonly<Record<string, { readonly primary: ModelChoice; readonly fallbacks: ReadonlyArray<ModelChoice> }>>
  /** Tried last, after every preferred provider. */
  readonly fallback: ModelChoice | undefined
  /** When a model fails, also try the same provider one complexity level down. */
  readonly retryWithLowerComplexity: boolean
}

export const DEFAULT_MATRIX: RoutingConfig["matrix"] = {
  openai: { low: "gpt-4o-mini", medium: "gpt-4o-mini", high: "gpt-4o", critical: "gpt-4o" },
  anthropic: { low: "claude-3-5-haiku-latest", medium: "claude-3-5-sonnet-latest", high: "claude-3-5-sonnet-latest", critical: "claude-3-opus-latest" },
  google: { low: "gemini-1.5-flash", medium: "gemini-1.5-flash", high: "gemini-1.5-pro", critical: "gemini-1.5-pro" }
}

export const DEFAULT_TASK_TYPES: RoutingConfig["taskTypes"] = {
  general: { providerPreference: ["anthropic", "openai", "google"], defaultComplexity: "medium", keywords: { high: ["analyze", "detailed", "comprehensive", "explain"], critical: ["urgent", "critical", "emergency"] } },
  creative_writing: { providerPreference: ["anthropic", "openai", "google"], defaultComplexity: "medium", keywords: { high: ["story", "novel", "poem", "creative"] } },
  data_analysis: { providerPreference: ["openai", "anthropic", "google"], defaultComplexity: "medium", keywords: { high: ["statistics", "correlation", "trend", "forecast"], critical: ["financial", "audit"] } },
  code_analysis: { providerPreference: ["openai", "anthropic", "google"], defaultComplexity: "medium", keywords: { high: ["refactor", "architecture", "security", "performance"], critical: ["vulnerability", "production"] } },
  customer_service: { providerPreference: ["anthropic", "openai", "google"], defaultComplexity: "low", keywords: { medium: ["refund", "complaint"], high: ["legal", "escalate"] } }
}

export const complexityAt = (value: unknown): Complexity | undefined =>
  typeof value === "string" && (COMPLEXITIES as ReadonlyArray<string>).includes(value.trim().toLowerCase()) ? (value.trim().toLowerCase() as Complexity) : undefined

const rank = (c: Complexity) => COMPLEXITIES.indexOf(c)
const atRank = (r: number): Complexity => COMPLEXITIES[Math.max(0, Math.min(COMPLEXITIES.length - 1, r))]!
const max = (a: Complexity, b: Complexity) => (rank(a) >= rank(b) ? a : b)

/** What a node's Context asks of routing. */
export interface RoutingRequest {
  readonly taskType: string | undefined
  readonly complexityOverride: Complexity | undefined
  readonly providerPreference: ReadonlyArray<Provider> | undefined
  readonly excludedProviders: ReadonlyArray<Provider>
  readonly activity: string | undefined
  readonly preferQuality: boolean
  readonly preferSpeed: boolean
  readonly maxComplexity: Complexity | undefined
  /** The prompt and inputs the model will read. */
  readonly text: string
  /** Providers that can be called at all (credentials or a base URL configured). */
  readonly available: ReadonlyArray<Provider>
}

/** Complexity from the override, or from the text's length and the task type's keywords. */
export const assessComplexity = (config: RoutingConfig, request: RoutingRequest): Complexity => {
  if (request.complexityOverride !== undefined) return request.complexityOverride
  const task = config.taskTypes[request.taskType ?? "general"] ?? config.taskTypes["general"] ?? DEFAULT_TASK_TYPES["general"]!
  const length = request.text.length
  const t = config.lengthThresholds
  let level: Complexity = length >= t.critical ? "critical" : length >= t.high ? "high" : length >= t.medium ? "medium" : "low"
  level = max(level, task.defaultComplexity)
  const text = ` ${(request.text.toLowerCase().match(/[a-z0-9][a-z0-9-]*/g) ?? []).join(" ")} `
  // a keyword (or phrase) counts as whole words
  const mentions = (k: string) => text.includes(` ${(k.toLowerCase().match(/[a-z0-9][a-z0-9-]*/g) ?? []).join(" ")} `)
  for (const c of COMPLEXITIES) if ((task.keywords[c] ?? []).some(mentions)) level = max(level, c)
  return level
}

/**
 * The models to try, best first: an activity's pinned model and its fallbacks, or each preferred
 * provider's model for the complexity (adjusted for quality or speed, capped), then that
 * provider one level down when allowed, then the configured fallback. Unavailable and excluded
 * providers are skipped; the same model is never listed twice.
 */
export const chooseModels = (config: RoutingConfig, request: RoutingRequest): { readonly complexity: Complexity; readonly candidates: ReadonlyArray<ModelChoice> } => {
  const usable = (p: Provider) => request.available.includes(p) && !request.excludedProviders.includes(p)
  const out: Array<ModelChoice> = []
  const add = (c: ModelChoice | undefined) => {
    if (c !== undefined && usable(c.provider) && !out.some((o) => o.provider === c.provider && o.model === c.model)) out.push(c)
  }
  let complexity = assessComplexity(config, request)
  if (request.preferQuality) complexity = atRank(rank(complexity) + 1)
  if (request.preferSpeed) complexity = atRank(rank(complexity) - 1)
  if (request.maxComplexity !== undefined && rank(complexity) > rank(request.maxComplexity)) complexity = request.maxComplexity
  const activity = request.activity !== undefined ? config.activities[request.activity] : undefined
  if (activity !== undefined) {
    add(activity.primary)
    activity.fallbacks.forEach(add)
  }
  const task = config.taskTypes[request.taskType ?? "general"] ?? config.taskTypes["general"]
  const preference = request.providerPreference ?? task?.providerPreference ?? ["anthropic", "openai", "google"]
  const modelFor = (p: Provider, c: Complexity): ModelChoice | undefined => {
    const model = config.matrix[p]?.[c] ?? DEFAULT_MATRIX[p]?.[c]
    return model === undefined ? undefined : { provider: p, model }
  }
  for (const p of preference) add(modelFor(p, complexity))
  if (config.retryWithLowerComplexity && rank(complexity) > 0) for (const p of preference) add(modelFor(p, atRank(rank(complexity) - 1)))
  add(config.fallback)
  // nothing preferred is available: any available provider rather than no answer
  if (out.length === 0) for (const p of request.available) add(modelFor(p, complexity))
  return { complexity, candidates: out }
}

/** A provider list from Context (`["anthropic", "openai"]` or `"anthropic|openai"`). */
export const providerList = (value: unknown): ReadonlyArray<Provider> | undefined => {
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(/[|,]/) : undefined
  if (items === undefined) return undefined
  const providers = items.map(providerNamed).filter((p): p is Provider => p !== undefined)
  return providers.length === 0 ? undefined : providers
}
