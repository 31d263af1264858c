import { Context, Data, type Effect } from "effect"
import type { ChatMessage, Provider, TokenUsage } from "../domain/Llm.js"
import type { RoutingConfig } from "../domain/ModelRouting.js"

/** One chat call: the system prompt, the conversation, and how to sample. */
export interface ChatRequest {
  readonly provider: Provider
  readonly model: string
  readonly system: string | undefined
  readonly messages: ReadonlyArray<ChatMessage>
  readonly temperature: number | undefined
  readonly maxTokens: number | undefined
  /** Set when someone listens for the answer as it is written: the call streams and hands over each piece. */
  readonly onToken?: ((text: string) => Effect.Effect<void>) | undefined
}

export interface ChatReply {
  readonly text: string
  readonly provider: Provider
  readonly model: string
  readonly usage: TokenUsage
}

/** Why a model call failed, in words safe to show (no credentials). */
export type LlmFailureReason = "NotConfigured" | "Unauthorized" | "BadRequest" | "RateLimited" | "ServerError" | "Timeout" | "Network" | "CircuitOpen" | "BadResponse"

export class LlmError extends Data.TaggedError("LlmError")<{
  readonly provider: Provider
  readonly model: string
  readonly reason: LlmFailureReason
  readonly message: string
  /** Seconds the provider asked us to wait (Retry-After), when it said. */
  readonly retryAfterSeconds?: number
}> {
  /** Worth trying again later (a rate limit, an overloaded or broken server, no answer in time). */
  get retryable(): boolean {
    return this.reason === "RateLimited" || this.reason === "ServerError" || this.reason === "Timeout" || this.reason === "Network"
  }
}

/** Chat models behind one interface; retries, timeouts and circuit breaking happen behind it, per provider. */
export class LanguageModels extends Context.Tag("agentmap/LanguageModels")<
  LanguageModels,
  {
    readonly chat: (request: ChatRequest) => Effect.Effect<ChatReply, LlmError>
  }
>() {}

/** Per-provider defaults from `llm.<provider>`. */
export interface ProviderDefaults {
  readonly model: string
  readonly temperature: number | undefined
  readonly maxTokens: number | undefined
  /** Whether a call can be made at all (a key, or a base URL for key-less local servers). */
  readonly available: boolean
}

/** What agents need to know about models before they call one. */
export class LlmSettings extends Context.Tag("agentmap/LlmSettings")<
  LlmSettings,
  {
    readonly defaultProvider: Provider
    readonly fallbackProvider: Provider | undefined
    readonly providers: Readonly<Record<Provider, ProviderDefaults>>
    readonly routing: RoutingConfig
  }
>() {}
