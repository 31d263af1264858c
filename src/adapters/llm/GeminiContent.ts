import { type ChatTurn, isToolCallTurn, isToolResultTurn, type ToolCall } from "../../ports/LanguageModels.js"
import { argsOf, asArray, asRecord, count, nestedErrorMessage, parseJson, resultValue, type Protocol } from "./Protocol.js"

/** Gemini reads an OpenAPI subset of JSON Schema: keys it refuses are dropped. */
const geminiSchema = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(geminiSchema)
  if (typeof schema !== "object" || schema === null) return schema
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k]) => !["$schema", "additionalProperties", "$defs", "$ref", "definitions", "$id"].includes(k))
      .map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(asRecord(v)).map(([p, s]) => [p, geminiSchema(s)])) : geminiSchema(v)])
  )
}

/** Turns as `contents`: tool calls are `functionCall` parts of the model's turn, results `functionResponse` parts of one user turn. */
const wireContents = (turns: ReadonlyArray<ChatTurn>): ReadonlyArray<unknown> => {
  const out: Array<{ role: string; parts: Array<unknown> }> = []
  for (const turn of turns) {
    if (turn.role === "system") continue
    if (isToolCallTurn(turn))
      out.push({ role: "model", parts: [...(turn.content !== "" ? [{ text: turn.content }] : []), ...turn.toolCalls.map((c) => ({ functionCall: { name: c.name, args: c.args } }))] })
    else if (isToolResultTurn(turn)) {
      const value = resultValue(turn.content)
      const part = { functionResponse: { name: turn.name, response: turn.isError ? { error: turn.content } : typeof value === "object" && value !== null && !Array.isArray(value) ? value : { result: value } } }
      const last = out[out.length - 1]
      if (last !== undefined && last.role === "user" && last.parts.every((p) => asRecord(p)["functionResponse"] !== undefined)) last.parts.push(part)
      else out.push({ role: "user", parts: [part] })
    } else out.push({ role: turn.role === "assistant" ? "model" : "user", parts: [{ text: turn.content }] })
  }
  return out
}

const toolCallsOf = (body: unknown): ReadonlyArray<ToolCall> => {
  const candidate = asRecord(asArray(asRecord(body)["candidates"])[0])
  return asArray(asRecord(candidate["content"])["parts"]).flatMap((p, i) => {
    const call = asRecord(asRecord(p)["functionCall"])
    return typeof call["name"] === "string" ? [{ id: typeof call["id"] === "string" ? call["id"] : `call_${i}`, name: call["name"], args: argsOf(call["args"]) }] : []
  })
}

const textOf = (body: unknown): string | undefined => {
  const candidate = asRecord(asArray(asRecord(body)["candidates"])[0])
  const parts = asArray(asRecord(candidate["content"])["parts"])
  if (candidate["content"] === undefined) return undefined
  return parts.flatMap((p) => (typeof asRecord(p)["text"] === "string" ? [asRecord(p)["text"] as string] : [])).join("")
}

/** Google Gemini `generateContent` / `streamGenerateContent?alt=sse` (key in `x-goog-api-key`, never in the URL). */
export const geminiContent: Protocol = {
  request: (config, key, request, stream) => ({
    // Google's own docs name models both ways: `gemini-1.5-flash` and `models/gemini-1.5-flash`
    url: `${config.baseUrl}/v1beta/models/${encodeURIComponent(request.model.replace(/^models\//, ""))}:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`,
    headers: key === undefined ? {} : { "x-goog-api-key": key },
    body: {
      contents: wireContents(request.messages),
      ...(request.tools !== undefined && request.tools.length > 0
        ? { tools: [{ functionDeclarations: request.tools.map((t) => ({ name: t.name, description: t.description, parameters: geminiSchema(t.parameters) })) }] }
        : {}),
      ...(request.system !== undefined && request.system !== "" ? { systemInstruction: { parts: [{ text: request.system }] } } : {}),
      generationConfig: {
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxTokens !== undefined ? { maxOutputTokens: request.maxTokens } : {})
      }
    }
  }),
  reply: (body) => {
    const text = textOf(body)
    if (text === undefined) return undefined
    const usage = asRecord(asRecord(body)["usageMetadata"])
    const toolCalls = toolCallsOf(body)
    return { text, usage: { inputTokens: count(usage["promptTokenCount"]) ?? 0, outputTokens: count(usage["candidatesTokenCount"]) ?? 0 }, ...(toolCalls.length > 0 ? { toolCalls } : {}) }
  },
  piece: (_event, data) => {
    const chunk = parseJson(data)
    if (asRecord(chunk)["error"] !== undefined) return { error: nestedErrorMessage(chunk) ?? "error in stream" }
    const usage = asRecord(asRecord(chunk)["usageMetadata"])
    const text = textOf(chunk)
    const finish = asRecord(asArray(asRecord(chunk)["candidates"])[0])["finishReason"]
    return {
      ...(typeof finish === "string" && finish !== "" ? { last: true } : {}),
      ...(text !== undefined && text !== "" ? { text } : {}),
      ...(count(usage["promptTokenCount"]) !== undefined ? { inputTokens: count(usage["promptTokenCount"])! } : {}),
      ...(count(usage["candidatesTokenCount"]) !== undefined ? { outputTokens: count(usage["candidatesTokenCount"])! } : {})
    }
  },
  errorMessage: nestedErrorMessage
}
