import type { JsonObject } from "../../domain/Json.js"
import type { TokenUsage } from "../../domain/Llm.js"
import type { ChatRequest, ToolCall } from "../../ports/LanguageModels.js"
import type { ProviderConfig } from "../config/LlmConfig.js"

/** The HTTP request one provider wants for a chat call. */
export interface WireRequest {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

/** What one server-sent event of a streamed answer adds. */
export interface StreamPiece {
  readonly text?: string
  readonly inputTokens?: number
  readonly outputTokens?: number
  /** The provider reported an error inside the stream. */
  readonly error?: string
  /** The answer is complete after this piece (for formats without a separate end event). */
  readonly last?: boolean
}

/** A provider's wire format: how to ask, and how to read the answer whole or streamed. */
export interface Protocol {
  readonly request: (config: ProviderConfig, key: string | undefined, request: ChatRequest, stream: boolean) => WireRequest
  /** The text and usage of a complete answer, or undefined when the body is not one. */
  readonly reply: (body: unknown) => { readonly text: string; readonly usage: TokenUsage; readonly toolCalls?: ReadonlyArray<ToolCall> } | undefined
  /** One event of a streamed answer (`event` is the SSE event name, `data` its payload). */
  readonly piece: (event: string, data: string) => StreamPiece | "done"
  /** The provider's own error message in an error body. */
  readonly errorMessage: (body: unknown) => string | undefined
}

export const asRecord = (v: unknown): Readonly<Record<string, unknown>> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {})
export const asArray = (v: unknown): ReadonlyArray<unknown> => (Array.isArray(v) ? v : [])
export const count = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined)

export const parseJson = (data: string): unknown => {
  try {
    return JSON.parse(data)
  } catch {
    return undefined
  }
}

/** `{ error: { message } }` (OpenAI, Anthropic, Google all nest it so). */
export const nestedErrorMessage = (body: unknown): string | undefined => {
  const e = asRecord(body)["error"]
  const message = typeof e === "string" ? e : asRecord(e)["message"]
  return typeof message === "string" ? message : undefined
}

/** A tool call's arguments: an object, or JSON text of one (OpenAI sends a string). */
export const argsOf = (v: unknown): JsonObject => {
  const parsed = typeof v === "string" ? parseJson(v) : v
  return asRecord(parsed) as JsonObject
}

/** A tool result as a provider wants it inside a JSON body: parsed JSON when it is JSON, else the text. */
export const resultValue = (content: string): unknown => {
  const parsed = parseJson(content)
  return parsed === undefined ? content : parsed
}
