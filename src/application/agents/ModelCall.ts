import { Effect } from "effect"
import type { JsonObject } from "../../domain/Json.js"
import { PROVIDERS, type Provider, numberIn, providerNamed, stringIn } from "../../domain/Llm.js"
import { chooseModels, complexityAt, DEFAULT_MATRIX, type ModelChoice, providerList } from "../../domain/ModelRouting.js"
import { type ChatReply, type ChatTurn, type LanguageModels, LlmError, type LlmSettings, type ToolSpec } from "../../ports/LanguageModels.js"
import { AgentFailure, type AgentCall, type LlmRecord } from "./Agent.js"
import * as Metrics from "../Metrics.js"

export interface Conversation {
  readonly system: string | undefined
  readonly messages: ReadonlyArray<ChatTurn>
}

const truthy = (v: unknown) => v === true || (typeof v === "string" && ["true", "yes", "1"].includes(v.trim().toLowerCase()))

/** A Context model name; `anthropic.medium` (provider.complexity) names the routing matrix's model for that provider and level. */
const modelNamed = (settings: LlmSettings["Type"], name: string | undefined): { readonly provider?: Provider; readonly model?: string } => {
  const tier = name === undefined ? null : /^([a-z]+)\.(low|medium|high|critical)$/i.exec(name)
  const provider = tier === null ? undefined : providerNamed(tier[1])
  const level = tier === null ? undefined : complexityAt(tier[2])
  const model = provider === undefined || level === undefined ? undefined : (settings.routing.matrix[provider]?.[level] ?? DEFAULT_MATRIX[provider]?.[level])
  if (provider !== undefined && model !== undefined) return { provider, model }
  return name === undefined ? {} : { model: name }
}

/**
 * The models a node may use, best first. With `routing_enabled` the routing section chooses
 * (task type, complexity from the override or the text, provider preference, activity); otherwise
 * Context `provider` (or the agent's own provider, or `llm.default_provider`) with Context `model`
 * or that provider's configured model, then the fallback provider.
 */
export const candidatesFor = (settings: LlmSettings["Type"], context: JsonObject, ownProvider: Provider | undefined, text: string): ReadonlyArray<ModelChoice> => {
  const available = PROVIDERS.filter((p) => settings.providers[p].available)
  const named = modelNamed(settings, stringIn(context, "model", "llm_model", "model_override"))
  const explicitProvider = providerNamed(context["provider"] ?? context["llm_provider"] ?? context["llm_type"] ?? (typeof context["llm"] === "string" ? context["llm"] : undefined)) ?? named.provider
  const explicitModel = named.model
  if (settings.routing.enabled && truthy(context["routing_enabled"])) {
    const { candidates } = chooseModels(settings.routing, {
      taskType: stringIn(context, "task_type"),
      complexityOverride: complexityAt(context["complexity_override"] ?? context["complexity"]),
      providerPreference: providerList(context["provider_preference"]),
      excludedProviders: providerList(context["excluded_providers"]) ?? [],
      activity: stringIn(context, "activity"),
      preferQuality: truthy(context["prefer_quality"]),
      preferSpeed: truthy(context["prefer_speed"]) || truthy(context["cost_optimization"]),
      maxComplexity: complexityAt(context["max_cost_tier"] ?? context["max_complexity"]),
      text,
      available
    })
    const pinned = explicitModel !== undefined ? [{ provider: explicitProvider ?? candidates[0]?.provider ?? settings.defaultProvider, model: explicitModel }] : []
    return [...pinned, ...candidates.filter((c) => !pinned.some((p) => p.provider === c.provider && p.model === c.model))]
  }
  const provider = explicitProvider ?? ownProvider ?? settings.defaultProvider
  const primary = { provider, model: explicitModel ?? settings.providers[provider].model }
  const fallbackProvider = providerNamed(context["fallback_provider"]) ?? settings.fallbackProvider
  const fallback =
    fallbackProvider !== undefined && fallbackProvider !== provider
      ? [{ provider: fallbackProvider, model: stringIn(context, "fallback_model") ?? settings.providers[fallbackProvider].model }]
      : []
  return [primary, ...fallback]
}

const record = (reply: Pick<ChatReply, "provider" | "model">, usage = { inputTokens: 0, outputTokens: 0 }): LlmRecord => ({
  provider: reply.provider,
  model: reply.model,
  input_tokens: usage.inputTokens,
  output_tokens: usage.outputTokens
})

/**
 * Asks the node's model, falling back through its candidates (each with the provider's own
 * retries and circuit breaker behind the port). The answer streams to listeners when there are
 * any. A call that finally fails raises: the node's error names every model tried.
 */
export const askModel = (
  models: LanguageModels["Type"],
  settings: LlmSettings["Type"],
  call: AgentCall,
  conversation: Conversation,
  ownProvider: Provider | undefined,
  /** Tools the model may call; such a call is not streamed (its tool calls come whole). */
  tools?: ReadonlyArray<ToolSpec>
): Effect.Effect<{ readonly reply: ChatReply; readonly llm: LlmRecord }, AgentFailure> => {
  const context = call.node.context
  const text = [conversation.system ?? "", ...conversation.messages.map((m) => m.content)].join("\n")
  const candidates = candidatesFor(settings, context, ownProvider, text)
  // once part of an answer has gone to listeners, another model's answer would be glued onto it
  const streamed = { value: false }
  const onToken = call.emitToken === undefined || tools !== undefined ? undefined : (piece: string) => Effect.zipRight(Effect.sync(() => (streamed.value = true)), call.emitToken!(piece))
  const attempt = (i: number, failures: ReadonlyArray<LlmError>): Effect.Effect<{ readonly reply: ChatReply; readonly llm: LlmRecord }, AgentFailure> => {
    const choice = candidates[i]
    if (choice === undefined) {
      const last = failures[failures.length - 1]
      return Effect.fail(
        new AgentFailure({
          type: "LlmError",
          message:
            failures.length === 0
              ? `node '${call.node.name}': no model provider is configured (set llm.<provider>.api_key or OPENAI_API_KEY / ANTHROPIC_API_KEY / GOOGLE_API_KEY)`
              : `node '${call.node.name}': the model call failed: ${failures.map((f) => `${f.provider}/${f.model}: ${f.reason}: ${f.message}`).join("; then ")}`,
          ...(last !== undefined ? { llm: record(last) } : {})
        })
      )
    }
    const defaults = settings.providers[choice.provider]
    // counted here, whichever LanguageModels answers (the HTTP providers, a host's own models)
    return Metrics.modelCall(
      choice.provider,
      choice.model,
      models.chat({
        provider: choice.provider,
        model: choice.model,
        system: conversation.system,
        messages: conversation.messages,
        temperature: numberIn(context, "temperature") ?? defaults.temperature,
        maxTokens: numberIn(context, "max_tokens", "maxTokens") ?? defaults.maxTokens,
        onToken,
        ...(tools !== undefined ? { tools } : {})
      })
    ).pipe(
        Effect.map((reply) => ({ reply, llm: record(reply, reply.usage) })),
        Effect.catchIf(
          (e): e is LlmError => e instanceof LlmError,
          (e) => attempt(streamed.value ? candidates.length : i + 1, [...failures, e])
        )
      )
  }
  return attempt(0, [])
}
