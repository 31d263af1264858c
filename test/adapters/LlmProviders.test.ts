import { Effect, Either, Tracer } from "effect"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { decodeLlm } from "../../src/adapters/config/LlmConfig.js"
import * as HttpLanguageModels from "../../src/adapters/llm/HttpLanguageModels.js"
import { PROVIDERS, type Provider } from "../../src/domain/Llm.js"
import type { ChatRequest, LanguageModels, LlmError } from "../../src/ports/LanguageModels.js"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"

const KEYS: Record<Provider, string> = { openai: "sk-test-openai-secret-0001", anthropic: "sk-ant-test-secret-0002", google: "AIzaTestGoogleSecretKey000000003" }
let fake: FakeLlm

beforeAll(async () => {
  fake = await startFakeLlm()
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

/** The real adapter, configured the way `llm:` in a config file does it. */
const models = (llm: Record<string, unknown> = {}): LanguageModels["Type"] => {
  const diagnostics: Array<never> = []
  const config = decodeLlm(
    {
      openai: { api_key: KEYS.openai, base_url: fake.openaiBaseUrl },
      anthropic: { api_key: KEYS.anthropic, base_url: fake.anthropicBaseUrl },
      google: { api_key: KEYS.google, base_url: fake.googleBaseUrl },
      retry: { base_delay_seconds: 0.01, max_delay_seconds: 2 },
      ...llm
    },
    undefined,
    {},
    "agentmap_config.yaml",
    diagnostics
  )
  expect(diagnostics).toEqual([])
  return Effect.runSync(HttpLanguageModels.make(config).pipe(Effect.provide(HttpLanguageModels.httpClient)))
}

const TURNS: ChatRequest["messages"] = [
    { role: "user", content: "earlier question" },
    { role: "assistant", content: "earlier answer" },
    { role: "user", content: "What is the answer?" }
  ]

const request = (provider: Provider, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  provider,
  model: `${provider}-model-1`,
  system: "You are terse.",
  messages: TURNS,
  temperature: 0.3,
  maxTokens: 64,
  ...extra
})

const chat = (m: LanguageModels["Type"], r: ChatRequest) => Effect.runPromise(Effect.either(m.chat(r)))
const ok = async (m: LanguageModels["Type"], r: ChatRequest) => {
  const result = await chat(m, r)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}
const failed = async (m: LanguageModels["Type"], r: ChatRequest): Promise<LlmError> => {
  const result = await chat(m, r)
  if (Either.isRight(result)) throw new Error(`answered: ${result.right.text}`)
  return result.left
}

describe.each(PROVIDERS)("%s adapter against its wire protocol", (provider) => {
  it("asks with the system prompt, the turns, sampling and the key in a header, and reads text and usage", async () => {
    const reply = await ok(models(), request(provider))
    expect(reply).toEqual({ text: `[${provider}/${provider}-model-1] What is the answer?`, provider, model: `${provider}-model-1`, usage: { inputTokens: 11, outputTokens: 5 } })
    const sent = fake.requests[0]!
    expect(sent.stream).toBe(false)
    const keyHeader = { openai: "authorization", anthropic: "x-api-key", google: "x-goog-api-key" }[provider]
    expect(sent.headers[keyHeader]).toBe(provider === "openai" ? `Bearer ${KEYS.openai}` : KEYS[provider])
    expect(JSON.stringify(sent.body)).not.toContain(KEYS[provider])
    if (provider === "openai") {
      expect(sent.path).toBe("/v1/chat/completions")
      expect(sent.body).toEqual({
        model: "openai-model-1",
        messages: [{ role: "system", content: "You are terse." }, ...TURNS],
        temperature: 0.3,
        max_tokens: 64
      })
    }
    if (provider === "anthropic") {
      expect(sent.path).toBe("/v1/messages")
      expect(sent.headers["anthropic-version"]).toBe("2023-06-01")
      expect(sent.body).toEqual({
        model: "anthropic-model-1",
        system: "You are terse.",
        messages: TURNS,
        max_tokens: 64,
        temperature: 0.3
      })
    }
    if (provider === "google") {
      expect(sent.path).toBe("/v1beta/models/google-model-1:generateContent")
      expect(sent.body).toMatchObject({
        systemInstruction: { parts: [{ text: "You are terse." }] },
        contents: [
          { role: "user", parts: [{ text: "earlier question" }] },
          { role: "model", parts: [{ text: "earlier answer" }] },
          { role: "user", parts: [{ text: "What is the answer?" }] }
        ],
        generationConfig: { temperature: 0.3, maxOutputTokens: 64 }
      })
    }
  })

  it("streams the answer piece by piece to the listener, with usage at the end", async () => {
    fake.script(provider, { text: "one two three four", inputTokens: 7, outputTokens: 4, chunkDelayMs: 5 })
    const pieces: Array<string> = []
    const reply = await ok(models(), request(provider, { onToken: (t) => Effect.sync(() => void pieces.push(t)) }))
    expect(fake.requests[0]!.stream).toBe(true)
    expect(pieces.length).toBe(4)
    expect(pieces.join("")).toBe("one two three four")
    expect(reply).toMatchObject({ text: "one two three four", usage: { inputTokens: 7, outputTokens: 4 } })
  })

  it("retries a 429 after the Retry-After the server asked for, then answers", async () => {
    fake.script(provider, { status: 429, retryAfter: "1" }, { text: "finally" })
    const reply = await ok(models(), request(provider))
    expect(reply.text).toBe("finally")
    expect(fake.requests).toHaveLength(2)
    expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(950)
  })

  it("gives up on a hard failure after the configured retries, with the provider's message and no key", async () => {
    const echoingKey = { error: { message: `internal error for key ${KEYS[provider]}`, type: "server_error" } }
    fake.script(provider, ...Array.from({ length: 3 }, () => ({ status: 500, body: echoingKey })))
    const e = await failed(models({ max_retries: 2 }), request(provider))
    expect(fake.requests).toHaveLength(3)
    expect(e).toMatchObject({ provider, model: `${provider}-model-1`, reason: "ServerError" })
    expect(e.message).toBe("HTTP 500: internal error for key [REDACTED]")
  })
})

describe("broken answers", () => {
  it.each(PROVIDERS)("%s: a stream that ends before the provider says it is complete is a failure, retried when nothing was streamed yet", async (provider) => {
    fake.script(provider, { text: "cut short", chunks: [], cut: true }, { text: "whole answer" })
    const pieces: Array<string> = []
    const reply = await ok(models(), request(provider, { onToken: (t) => Effect.sync(() => void pieces.push(t)) }))
    expect(reply.text).toBe("whole answer")
    fake.script(provider, { text: "cut short", cut: true })
    const e = await failed(models(), request(provider, { onToken: () => Effect.void }))
    expect(e).toMatchObject({ reason: "Network", message: "the answer stream ended before the provider said it was complete" })
    expect(fake.requests).toHaveLength(3)
  })

  it("a 200 carrying an error instead of an answer is a failure with the provider's message", async () => {
    fake.script("openai", { status: 200, body: { error: { message: "quota exceeded for this project" } } })
    expect(await failed(models(), request("openai"))).toMatchObject({ reason: "BadResponse", message: "the answer had no message text: quota exceeded for this project" })
    fake.script("anthropic", { status: 200, body: { error: { message: "quota exceeded" } } })
    expect(await failed(models(), request("anthropic", { onToken: () => Effect.void }))).toMatchObject({ reason: "BadResponse", message: "expected a stream of events, got: quota exceeded" })
  })

  it("redacts configured keys that do not look like keys, and credentials in a base URL", async () => {
    const secret = "local-secret-xyz"
    fake.script("openai", { status: 401, body: { error: { message: `key ${secret} is not valid` } } })
    const m = models({ openai: { api_key: secret, base_url: fake.openaiBaseUrl } })
    expect((await failed(m, request("openai"))).message).toBe("HTTP 401: key [REDACTED] is not valid")
    const unreachable = models({ max_retries: 0, openai: { api_key: secret, base_url: "http://user:hunter2@127.0.0.1:9/v1?token=abc" } })
    const e = await failed(unreachable, request("openai"))
    expect(e.message).toMatch(/^could not reach http:\/\/127\.0\.0\.1:9\/v1: /)
    expect(e.message).not.toMatch(/hunter2|token=abc/)
  })
})

describe("resilience", () => {
  it("opens the circuit when calls hang for the whole timeout, counting from when they gave up", async () => {
    const m = models({ max_retries: 0, timeout_seconds: 0.3, circuit_breaker: { failure_threshold: 1, reset_seconds: 0.2 } })
    fake.script("google", { hang: true })
    expect(await failed(m, request("google"))).toMatchObject({ reason: "Timeout" })
    expect(await failed(m, request("google"))).toMatchObject({ reason: "CircuitOpen" })
    expect(fake.requests).toHaveLength(1)
  })

  it("a failed half-open trial opens the circuit again", async () => {
    const m = models({ max_retries: 0, circuit_breaker: { failure_threshold: 1, reset_seconds: 0.2 } })
    fake.script("openai", { status: 500 }, { status: 500 })
    await failed(m, request("openai"))
    await new Promise((r) => setTimeout(r, 250))
    expect(await failed(m, request("openai"))).toMatchObject({ reason: "ServerError" })
    expect(await failed(m, request("openai"))).toMatchObject({ reason: "CircuitOpen" })
    expect(fake.requests).toHaveLength(2)
  })

  it("accepts Gemini model names written as models/<name>", async () => {
    await ok(models(), request("google", { model: "models/gemini-1.5-pro" }))
    expect(fake.requests[0]!.path).toBe("/v1beta/models/gemini-1.5-pro:generateContent")
  })

  it("asks reasoning models for max_completion_tokens", async () => {
    await ok(models(), request("openai", { model: "o3-mini" }))
    expect(fake.requests[0]!.body).toMatchObject({ model: "o3-mini", max_completion_tokens: 64 })
    expect(fake.requests[0]!.body).not.toHaveProperty("max_tokens")
  })

  it("does not retry what a retry cannot fix (bad key, bad request)", async () => {
    fake.script("openai", { status: 401 })
    expect(await failed(models(), request("openai"))).toMatchObject({ reason: "Unauthorized" })
    fake.script("openai", { status: 400 })
    expect(await failed(models(), request("openai"))).toMatchObject({ reason: "BadRequest" })
    expect(fake.requests).toHaveLength(2)
  })

  it("refuses to wait longer than max_delay_seconds for a Retry-After and fails at once", async () => {
    fake.script("anthropic", { status: 429, retryAfter: "120" })
    const e = await failed(models(), request("anthropic"))
    expect(e).toMatchObject({ reason: "RateLimited", retryAfterSeconds: 120 })
    expect(fake.requests).toHaveLength(1)
  })

  it("times out a call that gets no answer, and retries it", async () => {
    fake.script("google", { hang: true }, { text: "woke up" })
    const reply = await ok(models({ timeout_seconds: 0.3 }), request("google"))
    expect(reply.text).toBe("woke up")
    fake.script("google", { hang: true }, { hang: true })
    const e = await failed(models({ timeout_seconds: 0.2, max_retries: 1 }), request("google"))
    expect(e).toMatchObject({ reason: "Timeout", message: "no complete answer within 0.2 s" })
  })

  it("opens a provider's circuit after consecutive failures, fails fast, and lets a trial through after the reset", async () => {
    const m = models({ max_retries: 0, circuit_breaker: { failure_threshold: 2, reset_seconds: 0.3 } })
    fake.script("openai", { status: 503 }, { status: 503 })
    await failed(m, request("openai"))
    await failed(m, request("openai"))
    const refused = await failed(m, request("openai"))
    expect(refused).toMatchObject({ reason: "CircuitOpen" })
    expect(fake.requests).toHaveLength(2)
    // other providers are not affected
    expect((await ok(m, request("anthropic"))).provider).toBe("anthropic")
    await new Promise((r) => setTimeout(r, 350))
    expect((await ok(m, request("openai"))).text).toContain("What is the answer?")
  })

  it("says which key is missing when a provider is not configured, without calling it", async () => {
    const unconfigured = Effect.runSync(
      HttpLanguageModels.make(decodeLlm({}, undefined, {}, "x", [])).pipe(Effect.provide(HttpLanguageModels.httpClient))
    )
    expect(await failed(unconfigured, request("openai"))).toMatchObject({ reason: "NotConfigured", message: "no API key for openai (set llm.openai.api_key or OPENAI_API_KEY)" })
    expect(fake.requests).toHaveLength(0)
  })

  it("reports an unreachable server as a network failure", async () => {
    const m = models({ max_retries: 0, openai: { api_key: KEYS.openai, base_url: "http://127.0.0.1:9/v1" } })
    const e = await failed(m, request("openai"))
    expect(e.reason).toBe("Network")
    expect(e.message).toMatch(/^could not reach http:\/\/127\.0\.0\.1:9\/v1/)
  })
})

describe("tracing", () => {
  it("a host tracing HTTP calls sees every provider's key header redacted", async () => {
    const recorded: Array<ReadonlyMap<string, unknown>> = []
    const tracer = Tracer.make({
      span: (name, parent, context, links, startTime, kind) => {
        const attributes = new Map<string, unknown>()
        recorded.push(attributes)
        return {
          _tag: "Span", name, spanId: `s${recorded.length}`, traceId: "t", parent, context, links, kind, sampled: true,
          status: { _tag: "Started", startTime }, attributes,
          end: () => undefined, attribute: (k, v) => void attributes.set(k, v), event: () => undefined, addLinks: () => undefined
        }
      },
      context: (f) => f()
    })
    const m = models()
    for (const provider of PROVIDERS) await Effect.runPromise(m.chat(request(provider)).pipe(Effect.withTracer(tracer)))
    const headers = recorded.flatMap((a) => [...a.entries()].filter(([k]) => k.startsWith("http.request.header.")))
    expect(headers.map(([k]) => k)).toEqual(expect.arrayContaining(["http.request.header.authorization", "http.request.header.x-api-key", "http.request.header.x-goog-api-key"]))
    const shown = JSON.stringify(headers)
    for (const key of Object.values(KEYS)) expect(shown).not.toContain(key)
  })
})

describe("configuration", () => {
  it("takes keys from the usual environment variables when the file has none", () => {
    const config = decodeLlm({}, undefined, { OPENAI_API_KEY: "sk-env-1", ANTHROPIC_API_KEY: "sk-ant-env-2", GEMINI_API_KEY: "AIza-env-3" }, "x", [])
    expect(PROVIDERS.map((p) => HttpLanguageModels.isAvailable(config, p))).toEqual([true, true, true])
    expect(String(config.providers.openai.apiKey)).toBe("<redacted>")
    expect(JSON.stringify(config)).not.toMatch(/sk-env-1|sk-ant-env-2|AIza-env-3/)
  })

  it("reports an unknown provider name with its key path", () => {
    const diagnostics: Array<{ message: string }> = []
    decodeLlm({ default_provider: "mistral" }, undefined, {}, "agentmap_config.yaml", diagnostics as never)
    expect(diagnostics.map((d) => d.message)).toEqual(["llm.default_provider: unknown provider 'mistral' (use openai, anthropic, google)"])
  })
})

