import { asArray, asRecord, count, nestedErrorMessage, parseJson, type Protocol } from "./Protocol.js"

/** OpenAI Chat Completions (`POST {base_url}/chat/completions`), which every OpenAI-compatible server (Ollama, vLLM, LM Studio) speaks. */
export const openAiChat: Protocol = {
  request: (config, key, request, stream) => ({
    url: `${config.baseUrl}/chat/completions`,
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
    body: {
      model: request.model,
      messages: [...(request.system !== undefined && request.system !== "" ? [{ role: "system", content: request.system }] : []), ...request.messages],
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      // reasoning models (o1, o3, o4, gpt-5) take max_completion_tokens and refuse max_tokens
      ...(request.maxTokens !== undefined ? { [/^(o\d|gpt-5)/.test(request.model) ? "max_completion_tokens" : "max_tokens"]: request.maxTokens } : {}),
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {})
    }
  }),
  reply: (body) => {
    const message = asRecord(asRecord(asArray(asRecord(body)["choices"])[0])["message"])
    if (typeof message["content"] !== "string") return undefined
    const usage = asRecord(asRecord(body)["usage"])
    return { text: message["content"], usage: { inputTokens: count(usage["prompt_tokens"]) ?? 0, outputTokens: count(usage["completion_tokens"]) ?? 0 } }
  },
  piece: (_event, data) => {
    if (data.trim() === "[DONE]") return "done"
    const chunk = asRecord(parseJson(data))
    if (chunk["error"] !== undefined) return { error: nestedErrorMessage(chunk) ?? "error in stream" }
    const delta = asRecord(asRecord(asArray(chunk["choices"])[0])["delta"])
    const usage = asRecord(chunk["usage"])
    return {
      ...(typeof delta["content"] === "string" && delta["content"] !== "" ? { text: delta["content"] } : {}),
      ...(count(usage["prompt_tokens"]) !== undefined ? { inputTokens: count(usage["prompt_tokens"])! } : {}),
      ...(count(usage["completion_tokens"]) !== undefined ? { outputTokens: count(usage["completion_tokens"])! } : {})
    }
  },
  errorMessage: nestedErrorMessage
}
