import { Effect, Layer } from "effect"
import { type ChatReply, type ChatRequest, LanguageModels, LlmError } from "../../ports/LanguageModels.js"

/** What a scripted model answers: text, or a failure it raises. */
export type ScriptedAnswer = string | LlmError

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
      if (request.onToken !== undefined) for (const piece of a.match(/\s*\S+\s*/g) ?? []) yield* request.onToken(piece)
      const input = [request.system ?? "", ...request.messages.map((m) => m.content)].reduce((n, t) => n + wordsIn(t), 0)
      return { text: a, provider: request.provider, model: request.model, usage: { inputTokens: input, outputTokens: wordsIn(a) } }
    })
  return { layer: Layer.succeed(LanguageModels, { chat }), calls }
}

/** A failure a scripted model raises (e.g. `failure("RateLimited")`); provider and model are the request's. */
export const failure = (reason: LlmError["reason"], message: string = reason) => new LlmError({ provider: "openai", model: "", reason, message })
