import { Effect, Layer } from "effect"
import type { JsonObject } from "../../domain/Json.js"
import { type ChatReply, type ChatRequest, LanguageModels, LlmError } from "../../ports/LanguageModels.js"

/** What a scripted model answers: text, tool calls it asks for (when the request offers tools), or a failure it raises. */
export type ScriptedAnswer = string | { readonly text?: string; readonly toolCalls: ReadonlyArray<{ readonly name: string; readonly args: JsonObject }> } | LlmError

export interface ScriptedModels {
  readonly layer: Layer.Layer<LanguageModels>
  /** Every request, in order. */
  readonly calls: Array<ChatRequest>
}

const wordsIn = (text: string) => (text.match(/\S+/g) ?? []).length

/**
 * A fake for unit tests and offline demos: `answer` decides each reply from the request (by
 * default the last user message, prefixed with the model). Usage counts words; when someone
 * listens for tokens the reply is handed over word by word.
 */
export const scripted = (answer: (request: ChatRequest, index: number) => ScriptedAnswer = (r) => `[${r.provider}/${r.model}] ${r.messages.at(-1)?.content ?? ""}`): ScriptedModels => {
  const calls: Array<ChatRequest> = []
  const chat = (request: ChatRequest): Effect.Effect<ChatReply, LlmError> =>
    Effect.gen(function* () {
      calls.push(request)
      const a = answer(request, calls.length - 1)
      if (a instanceof LlmError) return yield* new LlmError({ provider: request.provider, model: request.model, reason: a.reason, message: a.message })
      const text = typeof a === "string" ? a : (a.text ?? "")
      const toolCalls = typeof a === "string" ? [] : a.toolCalls.map((c, i) => ({ id: `call_${calls.length}_${i}`, name: c.name, args: c.args }))
      if (request.onToken !== undefined && toolCalls.length === 0) for (const piece of text.match(/\s*\S+\s*/g) ?? []) yield* request.onToken(piece)
      const input = [request.system ?? "", ...request.messages.map((m) => m.content)].reduce((n, t) => n + wordsIn(t), 0)
      return { text, provider: request.provider, model: request.model, usage: { inputTokens: input, outputTokens: wordsIn(text) }, ...(toolCalls.length > 0 ? { toolCalls } : {}) }
    })
  return { layer: Layer.succeed(LanguageModels, { chat }), calls }
}

/** A failure a scripted model raises (e.g. `failure("RateLimited")`); provider and model are the request's. */
export const failure = (reason: LlmError["reason"], message: string = reason) => new LlmError({ provider: "openai", model: "", reason, message })
