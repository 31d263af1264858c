import { Context, Data, type Effect } from "effect"
import type { JsonObject } from "../domain/Json.js"
import type { ChatMessage, Provider, TokenUsage } from "../domain/Llm.js"
import type { RoutingConfig } from "../domain/ModelRouting.js"

/** A tool the model may call: its name, what it does, and its arguments as a JSON Schema object. */
export interface ToolSpec {
  readonly name: string
  readonly description: string
  readonly parameters: JsonObject
}

/** A call the model asks for; `id` pairs it with its result (providers without ids get generated ones). */
export interface ToolCall {
  readonly id: string
  readonly name: string
  readonly args: JsonObject
}

/** The model's turn that asked for tool calls (with any text it wrote beside them). */
export interface ToolCallTurn {
  readonly role: "assistant"
  readonly content: string
  readonly toolCalls: ReadonlyArray<ToolCall>
}

/** The result of one tool call, sent back to the model (`content` is the result as text or JSON). */
export interface ToolResultTurn {
  readonly role: "tool"
  readonly callId: string
  readonly name: string
  readonly content: string
  /** The call failed: `content` is the error message. */
  readonly isError: boolean
}

/** One turn of a conversation: a message, or a tool-calling exchange. */
export type ChatTurn = ChatMessage | ToolCallTurn | ToolResultTurn

export const isToolCallTurn = (turn: ChatTurn): turn is ToolCallTurn => "toolCalls" in turn
export const isToolResultTurn = (turn: ChatTurn): turn is ToolResultTurn => turn.role === "tool"

/** One chat call: the system prompt, the conversation, and how to sample. */
export interface ChatRequest {
  readonly provider: Provider
  readonly model: string
  readonly system: string | undefined
  readonly messages: ReadonlyArray<ChatTurn>
  /** Tools the model may call (native tool calling); the reply's `toolCalls` lists the calls it asks for. */
  readonly tools?: ReadonlyArray<ToolSpec> | undefined
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
  /** The tool calls the model asks for (only when the request offered tools). */
  readonly toolCalls?: ReadonlyArray<ToolCall>
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
    /** Each provider's circuit breaker (`closed`, `open`, `half_open`) and its failures in a row, where the adapter has them. */
    readonly circuits?: () => Readonly<Record<string, { readonly state: "closed" | "open" | "half_open"; readonly failures: number }>>
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
