import { type ChatTurn, isToolCallTurn, isToolResultTurn, type ToolCall } from "../../ports/LanguageModels.js"
import { argsOf, asArray, asRecord, count, nestedErrorMessage, parseJson, type Protocol } from "./Protocol.js"

/** A turn as Chat Completions wants it: tool calls on the assistant message, results as `tool` messages. */
const wireMessage = (turn: ChatTurn): unknown => {
  if (isToolCallTurn(turn))
    return {
      role: "assistant",
      content: turn.content === "" ? null : turn.content,
      tool_calls: turn.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } }))
    }
  if (isToolResultTurn(turn)) return { role: "tool", tool_call_id: turn.callId, content: turn.content }
  return { role: turn.role, content: turn.content }
}

const toolCallsOf = (message: Readonly<Record<string, unknown>>): ReadonlyArray<ToolCall> =>
  asArray(message["tool_calls"]).flatMap((c, i) => {
    const fn = asRecord(asRecord(c)["function"])
    const id = asRecord(c)["id"]
    return typeof fn["name"] === "string" ? [{ id: typeof id === "string" ? id : `call_${i}`, name: fn["name"], args: argsOf(fn["arguments"]) }] : []
  })

/** OpenAI Chat Completions (`POST {base_url}/chat/completions`), which every OpenAI-compatible server (Ollama, vLLM, LM Studio) speaks. */
export const openAiChat: Protocol = {
  request: (config, key, request, stream) => ({
    url: `${config.baseUrl}/chat/completions`,
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
    body: {
      model: request.model,
      messages: [...(request.system !== undefined && request.system !== "" ? [{ role: "system", content: request.system }] : []), ...request.messages.map(wireMessage)],
      ...(request.tools !== undefined && request.tools.length > 0
        ? { tools: request.tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } })) }
        : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      // reasoning models (o1, o3, o4, gpt-5) take max_completion_tokens and refuse max_tokens
      ...(request.maxTokens !== undefined ? { [/^(o\d|gpt-5)/.test(request.model) ? "max_completion_tokens" : "max_tokens"]: request.maxTokens } : {}),
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {})
    }
  }),
  reply: (body) => {
    const message = asRecord(asRecord(asArray(asRecord(body)["choices"])[0])["message"])
    const toolCalls = toolCallsOf(message)
    if (typeof message["content"] !== "string" && toolCalls.length === 0) return undefined
    const usage = asRecord(asRecord(body)["usage"])
    return {
      text: typeof message["content"] === "string" ? message["content"] : "",
      usage: { inputTokens: count(usage["prompt_tokens"]) ?? 0, outputTokens: count(usage["completion_tokens"]) ?? 0 },
      ...(toolCalls.length > 0 ? { toolCalls } : {})
    }
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
