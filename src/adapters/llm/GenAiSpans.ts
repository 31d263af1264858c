import { Effect } from "effect"
import type { Provider } from "../../domain/Llm.js"
import type { ChatReply, ChatRequest } from "../../ports/LanguageModels.js"
import { asArray, asRecord } from "./Protocol.js"

/** `gen_ai.provider.name` (and the older `gen_ai.system`) values of the GenAI semantic conventions. */
const SYSTEM: Readonly<Record<Provider, string>> = { openai: "openai", anthropic: "anthropic", google: "gcp.gemini" }

/** The finish reason and answering model a provider put in a complete (not streamed) answer. */
export const replyFacts = (provider: Provider, body: unknown): { finishReason?: string; responseModel?: string } => {
  const b = asRecord(body)
  const reason =
    provider === "openai"
      ? asRecord(asArray(b["choices"])[0])["finish_reason"]
      : provider === "anthropic"
        ? b["stop_reason"]
        : asRecord(asArray(b["candidates"])[0])["finishReason"]
  const model = provider === "google" ? b["modelVersion"] : b["model"]
  return { ...(typeof reason === "string" ? { finishReason: reason } : {}), ...(typeof model === "string" ? { responseModel: model } : {}) }
}

/** Puts what the provider said about the answer on the current `chat` span. */
export const annotateReply = (provider: Provider, body: unknown) => {
  const facts = replyFacts(provider, body)
  return Effect.annotateCurrentSpan({
    ...(facts.finishReason !== undefined ? { "gen_ai.response.finish_reasons": [facts.finishReason] } : {}),
    ...(facts.responseModel !== undefined ? { "gen_ai.response.model": facts.responseModel } : {})
  })
}

/**
 * One model call as a `chat <model>` client span following the OpenTelemetry GenAI conventions:
 * provider, requested and answering model, token usage, finish reason, retries. Prompts and
 * completions go on it only with `telemetry.capture_content` (they may hold personal data).
 */
export const chatSpan =
  (request: ChatRequest, serverAddress: string | undefined, captureContent: boolean) =>
  <E, R>(call: Effect.Effect<ChatReply, E, R>): Effect.Effect<ChatReply, E, R> =>
    Effect.gen(function* () {
      const reply = yield* call
      yield* Effect.annotateCurrentSpan({
        "gen_ai.usage.input_tokens": reply.usage.inputTokens,
        "gen_ai.usage.output_tokens": reply.usage.outputTokens,
        ...(reply.toolCalls !== undefined && reply.toolCalls.length > 0 ? { "gen_ai.response.finish_reasons": ["tool_calls"] } : {}),
        ...(captureContent
          ? {
              "gen_ai.output.messages": JSON.stringify([
                { role: "assistant", parts: [{ type: "text", content: reply.text }, ...(reply.toolCalls ?? []).map((c) => ({ type: "tool_call", name: c.name, arguments: c.args }))] }
              ])
            }
          : {})
      })
      return reply
    }).pipe(
      Effect.withSpan(`chat ${request.model}`, {
        kind: "client",
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.system": SYSTEM[request.provider],
          "gen_ai.provider.name": SYSTEM[request.provider],
          "gen_ai.request.model": request.model,
          ...(request.temperature !== undefined ? { "gen_ai.request.temperature": request.temperature } : {}),
          ...(request.maxTokens !== undefined ? { "gen_ai.request.max_tokens": request.maxTokens } : {}),
          ...(request.onToken !== undefined ? { "agentmap.llm.streamed": true } : {}),
          ...(request.tools !== undefined && request.tools.length > 0 ? { "agentmap.llm.tools_offered": request.tools.length } : {}),
          ...(serverAddress !== undefined ? { "server.address": serverAddress } : {}),
          ...(captureContent
            ? {
                ...(request.system !== undefined ? { "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: request.system }]) } : {}),
                "gen_ai.input.messages": JSON.stringify(request.messages)
              }
            : {})
        }
      })
    )

/** The host of a base URL (no user info, path or query). */
export const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname
  } catch {
    return undefined
  }
}
