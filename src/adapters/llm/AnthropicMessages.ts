import { type ChatTurn, isToolCallTurn, isToolResultTurn } from "../../ports/LanguageModels.js"
import { asArray, asRecord, argsOf, count, nestedErrorMessage, parseJson, type Protocol } from "./Protocol.js"

/**
 * Turns as the Messages API wants them: tool calls are `tool_use` blocks of the assistant's turn,
 * their results `tool_result` blocks of one user turn (consecutive results are merged).
 */
const wireMessages = (turns: ReadonlyArray<ChatTurn>): ReadonlyArray<unknown> => {
  const out: Array<{ role: string; content: unknown }> = []
  for (const turn of turns) {
    if (turn.role === "system") continue
    if (isToolCallTurn(turn))
      out.push({
        role: "assistant",
        content: [...(turn.content !== "" ? [{ type: "text", text: turn.content }] : []), ...turn.toolCalls.map((c) => ({ type: "tool_use", id: c.id, name: c.name, input: c.args }))]
      })
    else if (isToolResultTurn(turn)) {
      const block = { type: "tool_result", tool_use_id: turn.callId, content: turn.content, ...(turn.isError ? { is_error: true } : {}) }
      const last = out[out.length - 1]
      if (last !== undefined && last.role === "user" && Array.isArray(last.content) && (last.content as Array<{ type?: string }>).every((b) => b.type === "tool_result"))
        (last.content as Array<unknown>).push(block)
      else out.push({ role: "user", content: [block] })
    } else out.push({ role: turn.role, content: turn.content })
  }
  return out
}

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
      messages: wireMessages(request.messages),
      ...(request.tools !== undefined && request.tools.length > 0 ? { tools: request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters })) } : {}),
      max_tokens: request.maxTokens ?? 1024,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(stream ? { stream: true } : {})
    }
  }),
  reply: (body) => {
    const content = asArray(asRecord(body)["content"])
    if (content.length === 0 && asRecord(body)["type"] !== "message") return undefined
    const text = content.flatMap((c) => (asRecord(c)["type"] === "text" && typeof asRecord(c)["text"] === "string" ? [asRecord(c)["text"] as string] : [])).join("")
    const toolCalls = content.flatMap((c, i) => {
      const block = asRecord(c)
      return block["type"] === "tool_use" && typeof block["name"] === "string"
        ? [{ id: typeof block["id"] === "string" ? block["id"] : `toolu_${i}`, name: block["name"], args: argsOf(block["input"]) }]
        : []
    })
    const usage = asRecord(asRecord(body)["usage"])
    return { text, usage: { inputTokens: count(usage["input_tokens"]) ?? 0, outputTokens: count(usage["output_tokens"]) ?? 0 }, ...(toolCalls.length > 0 ? { toolCalls } : {}) }
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
