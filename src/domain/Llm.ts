import type { JsonObject } from "./Json.js"
import { isJsonObject, toText } from "./Json.js"

/** The model providers AgentMap speaks to; any OpenAI-compatible server (Ollama, vLLM, LM Studio) is `openai` with its own base_url. */
export const PROVIDERS = ["openai", "anthropic", "google"] as const
export type Provider = (typeof PROVIDERS)[number]

/** Other names authors use for a provider (agent types and Context values alike). */
export const PROVIDER_ALIASES: Readonly<Record<string, Provider>> = {
  openai: "openai",
  gpt: "openai",
  chatgpt: "openai",
  anthropic: "anthropic",
  claude: "anthropic",
  google: "google",
  gemini: "google"
}

export const providerNamed = (name: unknown): Provider | undefined =>
  typeof name === "string" ? PROVIDER_ALIASES[name.trim().toLowerCase()] : undefined

export interface ChatMessage {
  readonly role: "system" | "user" | "assistant"
  readonly content: string
}

export interface TokenUsage {
  readonly inputTokens: number
  readonly outputTokens: number
}

/** Conversation memory kept in the state: a list of `{ role, content }`, oldest first. */
export const memoryFrom = (value: unknown): ReadonlyArray<ChatMessage> =>
  Array.isArray(value)
    ? value.flatMap((m): ReadonlyArray<ChatMessage> => {
        if (!isJsonObject(m)) return []
        const role = m["role"] === "assistant" || m["role"] === "system" ? m["role"] : m["role"] === "user" || m["role"] === "human" ? "user" : undefined
        return role === undefined || m["content"] === undefined ? [] : [{ role, content: toText(m["content"]) }]
      })
    : []

/** A conversation providers accept: no empty turns, and it starts with the user (trimming can leave an answer first). */
export const conversationFrom = (messages: ReadonlyArray<ChatMessage>): ReadonlyArray<ChatMessage> => {
  const kept = messages.filter((m) => m.content.trim() !== "")
  const first = kept.findIndex((m) => m.role === "user")
  return first < 0 ? [] : kept.slice(first)
}

/** The newest `max` messages (all when max is undefined). */
export const lastMessages = (messages: ReadonlyArray<ChatMessage>, max: number | undefined) =>
  max === undefined || messages.length <= max ? messages : messages.slice(messages.length - max)

/**
 * The user's turn from a node's inputs: one input is its value as text; several are
 * `name: value` lines in Input_Fields order.
 */
export const userText = (inputs: ReadonlyArray<readonly [string, unknown]>): string =>
  inputs.length === 1 ? toText(inputs[0]![1]) : inputs.map(([k, v]) => `${k}: ${toText(v)}`).join("\n")

/** A JSON object's number at `key`, when it is one. */
export const numberIn = (context: JsonObject, ...keys: ReadonlyArray<string>): number | undefined => {
  for (const key of keys) {
    const v = context[key]
    if (typeof v === "number" && Number.isFinite(v)) return v
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v)
  }
  return undefined
}

export const stringIn = (context: JsonObject, ...keys: ReadonlyArray<string>): string | undefined => {
  for (const key of keys) {
    const v = context[key]
    if (typeof v === "string" && v.trim() !== "") return v.trim()
  }
  return undefined
}
