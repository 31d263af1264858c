import { asArray, asRecord, count, nestedErrorMessage, parseJson, type Protocol } from "./Protocol.js"

const VERSION = "2023-06-01"

/** Anthropic Messages API (`POST {base_url}/v1/messages`); max_tokens is required there. */
export const anthropicMessages: Protocol = {
  request: (config, key, request, stream) => ({
    url: `${config.baseUrl}/v1/messages`,
    headers: { "anthropic-version": VERSION, ...(key === undefined ? {} : { "x-api-key": key }) },
    body: {
      model: request.model,
      ...(request.system !== undefined && request.system !== "" ? { system: request.system } : {}),
      // Anthropic takes system text apart and wants the turns to start with the user
      messages: request.messages.filter((m) => m.role !== "system").map((m) => ({ role: m.role, content: m.content })),
      max_tokens: request.maxTokens ?? 1024,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(stream ? { stream: true } : {})
    }
  }),
  reply: (body) => {
    const content = asArray(asRecord(body)["content"])
    if (content.length === 0 && asRecord(body)["type"] !== "message") return undefined
    const text = content.flatMap((c) => (asRecord(c)["type"] === "text" && typeof asRecord(c)["text"] === "string" ? [asRecord(c)["text"] as string] : [])).join("")
    const usage = asRecord(asRecord(body)["usage"])
    return { text, usage: { inputTokens: count(usage["input_tokens"]) ?? 0, outputTokens: count(usage["output_tokens"]) ?? 0 } }
  },
  piece: (event, data) => {
    const e = asRecord(parseJson(data))
    switch (event !== "" ? event : e["type"]) {
      case "message_start": {
        const usage = asRecord(asRecord(e["message"])["usage"])
        return { ...(count(usage["input_tokens"]) !== undefined ? { inputTokens: count(usage["input_tokens"])! } : {}) }
      }
      case "content_block_delta": {
        const delta = asRecord(e["delta"])
        return delta["type"] === "text_delta" && typeof delta["text"] === "string" ? { text: delta["text"] } : {}
      }
      case "message_delta": {
        const usage = asRecord(e["usage"])
        return count(usage["output_tokens"]) !== undefined ? { outputTokens: count(usage["output_tokens"])! } : {}
      }
      case "message_stop":
        return "done"
      case "error":
        return { error: nestedErrorMessage(e) ?? "error in stream" }
      default:
        return {}
    }
  },
  errorMessage: nestedErrorMessage
}
