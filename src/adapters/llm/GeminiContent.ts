import { asArray, asRecord, count, nestedErrorMessage, parseJson, type Protocol } from "./Protocol.js"

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
      contents: request.messages
        .filter((m) => m.role !== "system")
        .map((m) => ({ role: m.role === "assistant" ? "model" : "user", parts: [{ text: m.content }] })),
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
    return { text, usage: { inputTokens: count(usage["promptTokenCount"]) ?? 0, outputTokens: count(usage["candidatesTokenCount"]) ?? 0 } }
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
