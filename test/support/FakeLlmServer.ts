import { type IncomingMessage, type ServerResponse, createServer } from "node:http"
import type { AddressInfo, Socket } from "node:net"

/** A fake OpenAI / Anthropic / Gemini HTTP server speaking the real wire formats (JSON and SSE). */
export type Provider = "openai" | "anthropic" | "google"
export type Scripted =
  | { readonly text: string; readonly inputTokens?: number; readonly outputTokens?: number; readonly chunkDelayMs?: number; readonly chunks?: ReadonlyArray<string>; readonly cut?: boolean }
  | { readonly status: number; readonly retryAfter?: string; readonly body?: unknown }
  | { readonly hang: true }
  /** The model asks for tool calls (in the provider's own format: tool_calls, tool_use blocks, functionCall parts). */
  | { readonly toolCalls: ReadonlyArray<{ readonly name: string; readonly args: Record<string, unknown>; readonly id?: string }>; readonly text?: string }
export interface RecordedRequest {
  readonly provider: Provider
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: any
  readonly stream: boolean
  readonly at: number
  /** When the last byte of a streamed answer was written (set then). */
  endedAt?: number
}
export interface FakeLlm {
  readonly url: string
  readonly openaiBaseUrl: string
  readonly anthropicBaseUrl: string
  readonly googleBaseUrl: string
  readonly requests: Array<RecordedRequest>
  /** Queue replies for the next calls to that provider (consumed in order; when the queue is empty the default reply is used). */
  script(provider: Provider, ...replies: ReadonlyArray<Scripted>): void
  /** Replace the default reply function (used when the queue is empty). */
  setDefault(fn: (req: RecordedRequest) => Scripted): void
  /** Clear queues and recorded requests, restore the default reply. */
  reset(): void
  /** Stop listening and destroy every open socket (hanging requests included). */
  close(): Promise<void>
}

const GEMINI_PATH = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/

const words = (s: string): number => s.split(/\s+/).filter((w) => w !== "").length
/** Text of an OpenAI/Anthropic content (string or [{type:"text",text}]) or of Gemini parts. */
const textOf = (c: unknown): string =>
  typeof c === "string" ? c : Array.isArray(c) ? c.map((p) => (typeof p?.text === "string" ? p.text : "")).join("") : ""

export const modelOf = (req: RecordedRequest): string => {
  if (req.provider !== "google") return String(req.body?.model ?? "unknown")
  return decodeURIComponent(GEMINI_PATH.exec(req.path)?.[1] ?? "unknown")
}

/** Every prompt text (system + all messages) and the last user message, per provider. */
const promptOf = (req: RecordedRequest): { readonly all: ReadonlyArray<string>; readonly lastUser: string } => {
  const b = req.body ?? {}
  const msgs: Array<{ role?: string; text: string }> =
    req.provider === "google"
      ? (Array.isArray(b.contents) ? b.contents : []).map((c: any) => ({ role: c?.role, text: textOf(c?.parts) }))
      : (Array.isArray(b.messages) ? b.messages : []).map((m: any) => ({ role: m?.role, text: textOf(m?.content) }))
  const system = req.provider === "anthropic" ? textOf(b.system) : req.provider === "google" ? textOf(b.systemInstruction?.parts) : ""
  const lastUser = [...msgs].reverse().find((m) => m.role === "user")?.text ?? ""
  return { all: [system, ...msgs.map((m) => m.text)], lastUser }
}

export const defaultReply = (req: RecordedRequest): Scripted => {
  const { all, lastUser } = promptOf(req)
  const text = `[${req.provider}/${modelOf(req)}] ${lastUser}`.slice(0, 80)
  return { text, inputTokens: all.reduce((n, s) => n + words(s), 0), outputTokens: words(text) }
}

const ANTHROPIC_ERRORS: Record<number, string> = {
  400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error",
  413: "request_too_large", 429: "rate_limit_error", 529: "overloaded_error"
}
const GOOGLE_ERRORS: Record<number, string> = {
  400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"
}
const OPENAI_ERRORS: Record<number, [string, string | null]> = {
  400: ["invalid_request_error", null], 401: ["invalid_request_error", "invalid_api_key"], 404: ["invalid_request_error", "model_not_found"],
  429: ["requests", "rate_limit_exceeded"]
}

const errorBody = (provider: Provider, status: number, message: string): unknown => {
  if (provider === "anthropic") return { type: "error", error: { type: ANTHROPIC_ERRORS[status] ?? "api_error", message } }
  if (provider === "google") return { error: { code: status, message, status: GOOGLE_ERRORS[status] ?? "INTERNAL" } }
  const [type, code] = OPENAI_ERRORS[status] ?? ["server_error", null]
  return { error: { message, type, param: null, code } }
}

const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify(body))
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

/** Writes the reply in the provider's format: one JSON object, or SSE events flushed chunk by chunk. */
const reply = async (req: RecordedRequest, res: ServerResponse, r: Extract<Scripted, { text: string }>, delayMs: number): Promise<void> => {
  const model = modelOf(req)
  const input = r.inputTokens ?? promptOf(req).all.reduce((n, s) => n + words(s), 0)
  const output = r.outputTokens ?? words(r.text)
  const usage = { prompt_tokens: input, completion_tokens: output, total_tokens: input + output } // OpenAI shape
  const created = Math.floor(Date.now() / 1000)
  if (!req.stream) {
    if (req.provider === "openai")
      return sendJson(res, 200, {
        id: "chatcmpl-fake", object: "chat.completion", created, model,
        choices: [{ index: 0, message: { role: "assistant", content: r.text }, finish_reason: "stop" }], usage
      })
    if (req.provider === "anthropic")
      return sendJson(res, 200, {
        id: "msg_fake", type: "message", role: "assistant", model, content: [{ type: "text", text: r.text }],
        stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: input, output_tokens: output }
      })
    return sendJson(res, 200, {
      candidates: [{ content: { role: "model", parts: [{ text: r.text }] }, finishReason: "STOP", index: 0 }],
      usageMetadata: { promptTokenCount: input, candidatesTokenCount: output, totalTokenCount: input + output }, modelVersion: model
    })
  }
  // Word-sized pieces (whitespace kept, so they concatenate back to the text); never zero pieces.
  const split = r.chunks ?? r.text.match(/\s*\S+\s*/g) ?? [r.text]
  const pieces = split.length === 0 ? [""] : split
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
  const send = (data: unknown, event?: string): void => {
    if (res.destroyed) return
    res.write(`${event === undefined ? "" : `event: ${event}\n`}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`)
  }
  const openai = (choices: unknown, extra: object = {}): void =>
    send({ id: "chatcmpl-fake", object: "chat.completion.chunk", created, model, choices, ...extra })
  const anthropic = (type: string, data: object = {}): void => send({ type, ...data }, type)
  if (req.provider === "anthropic") {
    anthropic("message_start", {
      message: { id: "msg_fake", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: input, output_tokens: 1 } }
    })
    anthropic("content_block_start", { index: 0, content_block: { type: "text", text: "" } })
    anthropic("ping")
  }
  for (const [i, piece] of pieces.entries()) {
    if (i > 0 && delayMs > 0) await sleep(delayMs)
    if (res.destroyed) return // the client went away
    const last = i === pieces.length - 1 && r.cut !== true
    if (req.provider === "openai") openai([{ index: 0, delta: i === 0 ? { role: "assistant", content: piece } : { content: piece }, finish_reason: null }])
    else if (req.provider === "anthropic") anthropic("content_block_delta", { index: 0, delta: { type: "text_delta", text: piece } })
    else
      send({
        candidates: [{ content: { role: "model", parts: [{ text: piece }] }, ...(last ? { finishReason: "STOP" } : {}), index: 0 }],
        usageMetadata: last
          ? { promptTokenCount: input, candidatesTokenCount: output, totalTokenCount: input + output }
          : { promptTokenCount: input, totalTokenCount: input },
        modelVersion: model
      })
  }
  if (r.cut === true) {
    // the connection ends mid-answer: no end-of-answer events
    req.endedAt = Date.now()
    res.end()
    return
  }
  if (req.provider === "openai") {
    openai([{ index: 0, delta: {}, finish_reason: "stop" }])
    if (req.body?.stream_options?.include_usage === true) openai([], { usage })
    send("[DONE]")
  } else if (req.provider === "anthropic") {
    anthropic("content_block_stop", { index: 0 })
    anthropic("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: output } })
    anthropic("message_stop")
  }
  req.endedAt = Date.now()
  res.end()
}

/** A (non-streamed) answer that asks for tool calls, in each provider's wire format. */
const replyToolCalls = (req: RecordedRequest, res: ServerResponse, r: Extract<Scripted, { toolCalls: unknown }>): void => {
  const model = modelOf(req)
  const calls = r.toolCalls.map((c, i) => ({ ...c, id: c.id ?? `call_fake_${i}` }))
  const text = r.text ?? ""
  if (req.provider === "openai")
    return sendJson(res, 200, {
      id: "chatcmpl-fake", object: "chat.completion", created: Math.floor(Date.now() / 1000), model,
      choices: [{
        index: 0,
        message: { role: "assistant", content: text === "" ? null : text, tool_calls: calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } })) },
        finish_reason: "tool_calls"
      }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }
    })
  if (req.provider === "anthropic")
    return sendJson(res, 200, {
      id: "msg_fake", type: "message", role: "assistant", model,
      content: [...(text === "" ? [] : [{ type: "text", text }]), ...calls.map((c) => ({ type: "tool_use", id: c.id, name: c.name, input: c.args }))],
      stop_reason: "tool_use", stop_sequence: null, usage: { input_tokens: 10, output_tokens: 5 }
    })
  return sendJson(res, 200, {
    candidates: [{ content: { role: "model", parts: [...(text === "" ? [] : [{ text }]), ...calls.map((c) => ({ functionCall: { name: c.name, args: c.args } }))] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 }, modelVersion: model
  })
}

export const startFakeLlm = (options: { readonly port?: number; readonly chunkDelayMs?: number } = {}): Promise<FakeLlm> => {
  const requests: Array<RecordedRequest> = []
  const queues = new Map<Provider, Array<Scripted>>()
  const sockets = new Set<Socket>()
  let fallback: (req: RecordedRequest) => Scripted = defaultReply

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname
    const gemini = GEMINI_PATH.exec(path)
    const provider: Provider | undefined =
      req.method !== "POST" ? undefined
      : path === "/v1/chat/completions" || path === "/chat/completions" ? "openai"
      : path === "/v1/messages" ? "anthropic"
      : gemini !== null ? "google"
      : undefined
    if (provider === undefined) return sendJson(res, 404, { error: { code: 404, message: `no route for ${req.method} ${path}` } })
    const chunks: Array<Buffer> = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString("utf8")
    let body: any
    let malformed = false
    try {
      body = JSON.parse(raw)
    } catch {
      body = raw // recorded as the raw text
      malformed = true
    }
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v
    const stream = provider === "google" ? gemini?.[2] === "streamGenerateContent" : body?.stream === true
    const recorded: RecordedRequest = { provider, path, headers, body, stream, at: Date.now() }
    requests.push(recorded)
    if (malformed) return sendJson(res, 400, errorBody(provider, 400, "malformed JSON body"))
    const r = queues.get(provider)?.shift() ?? fallback(recorded)
    if ("hang" in r) return // never answer; close() destroys the socket
    if ("toolCalls" in r) return replyToolCalls(recorded, res, r)
    if ("status" in r)
      return sendJson(res, r.status, r.body ?? errorBody(provider, r.status, `fake ${provider} error ${r.status}`),
        r.retryAfter === undefined ? {} : { "retry-after": r.retryAfter })
    await reply(recorded, res, r, r.chunkDelayMs ?? options.chunkDelayMs ?? 0)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(e) } })
      else res.destroy()
    })
  })
  server.on("connection", (s) => {
    sockets.add(s)
    s.on("close", () => sockets.delete(s))
  })

  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      resolve({
        url,
        openaiBaseUrl: `${url}/v1`,
        anthropicBaseUrl: url,
        googleBaseUrl: url,
        requests,
        script: (provider, ...replies) => {
          queues.set(provider, [...(queues.get(provider) ?? []), ...replies])
        },
        setDefault: (fn) => {
          fallback = fn
        },
        reset: () => {
          queues.clear()
          requests.length = 0
          fallback = defaultReply
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            for (const s of sockets) s.destroy()
          })
      })
    })
  })
}
