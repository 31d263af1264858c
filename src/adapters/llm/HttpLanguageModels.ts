import { FetchHttpClient, Headers, HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import * as Sse from "@effect/experimental/Sse"
import { Clock, Duration, Effect, Layer, Random, Redacted, Stream } from "effect"
import { PROVIDERS, type Provider } from "../../domain/Llm.js"
import * as Metrics from "../../application/Metrics.js"
import { type ChatReply, type ChatRequest, LanguageModels, LlmError, type LlmFailureReason, LlmSettings } from "../../ports/LanguageModels.js"
import { isConfigured, keyVariable, type LlmConfig } from "../config/LlmConfig.js"
import { anthropicMessages } from "./AnthropicMessages.js"
import { circuitBreaker } from "./CircuitBreaker.js"
import { geminiContent } from "./GeminiContent.js"
import { openAiChat } from "./OpenAiChat.js"
import { parseJson, type Protocol } from "./Protocol.js"
import { redactor } from "./Redaction.js"
import { annotateReply, chatSpan, hostOf } from "./GenAiSpans.js"
import { CaptureContent } from "../telemetry/Telemetry.js"

/** A base URL as it may be shown: no user info, no query (either could hold a credential). */
const shownUrl = (url: string) => {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, "")
  } catch {
    return "(the configured base_url)"
  }
}

const PROTOCOLS: Readonly<Record<Provider, Protocol>> = { openai: openAiChat, anthropic: anthropicMessages, google: geminiContent }

const reasonFor = (status: number): LlmFailureReason =>
  status === 401 || status === 403 ? "Unauthorized" : status === 429 ? "RateLimited" : status === 408 ? "Timeout" : status >= 500 ? "ServerError" : "BadRequest"

/** Retry-After in seconds or as an HTTP date. */
const retryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000)
}

/** Whether calls to `provider` can be made at all (see isConfigured). */
export const isAvailable = (config: LlmConfig, provider: Provider) => isConfigured(config.providers[provider])

/** What agents read about models, from `llm:` and `routing:`. */
export const settingsLayer = (config: LlmConfig) =>
  Layer.succeed(LlmSettings, {
    defaultProvider: config.defaultProvider,
    fallbackProvider: config.fallbackProvider,
    providers: Object.fromEntries(
      PROVIDERS.map((p) => [p, { model: config.providers[p].model, temperature: config.providers[p].temperature, maxTokens: config.providers[p].maxTokens, available: isAvailable(config, p) }])
    ) as LlmSettings["Type"]["providers"],
    routing: config.routing
  })

/**
 * Chat models over HTTP: one wire protocol per provider, each call with a timeout, retries with
 * exponential backoff and full jitter (honouring Retry-After up to the longest delay allowed),
 * and a circuit breaker per provider. Keys go only into request headers; every message is
 * redacted before it leaves.
 */
export const make = (config: LlmConfig) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const captureContent = yield* CaptureContent
    const breakers = Object.fromEntries(PROVIDERS.map((p) => [p, circuitBreaker(config.circuit.failureThreshold, config.circuit.resetMillis)])) as Record<Provider, ReturnType<typeof circuitBreaker>>
    const redact = redactor(PROVIDERS.flatMap((p) => (config.providers[p].apiKey !== undefined ? [Redacted.value(config.providers[p].apiKey!)] : [])))

    const attempt = (request: ChatRequest, protocol: Protocol, emitted: { value: boolean }) => {
      const fail = (reason: LlmFailureReason, message: string, after?: number) =>
        new LlmError({ provider: request.provider, model: request.model, reason, message: redact(message).slice(0, 500), ...(after !== undefined ? { retryAfterSeconds: after } : {}) })
      const timedOut = (what: string) => fail("Timeout", `${what} within ${config.timeoutMillis / 1000} s`)
      const provider = config.providers[request.provider]
      const key = provider.apiKey === undefined ? undefined : Redacted.value(provider.apiKey)
      // a tool-calling turn is read whole: its calls are not handed out piece by piece
      const stream = request.onToken !== undefined && (request.tools === undefined || request.tools.length === 0)
      const wire = protocol.request(provider, key, request, stream)
      const answered = client
        .execute(HttpClientRequest.post(wire.url).pipe(HttpClientRequest.setHeaders(wire.headers), HttpClientRequest.bodyUnsafeJson(wire.body)))
        .pipe(
          // a host that traces HTTP calls sees these headers redacted (Gemini's key header is not a default)
          Effect.locallyWith(Headers.currentRedactedNames, (names) => [...names, "x-goog-api-key"]),
          Effect.mapError((e) => {
            const cause = e.cause instanceof Error ? e.cause.message : e.message
            // the request URL starts with the base URL: showing the base without credentials covers both
            return fail("Network", `could not reach ${shownUrl(provider.baseUrl)}: ${cause.split(provider.baseUrl).join(shownUrl(provider.baseUrl))}`)
          })
        )
      const refused = (response: HttpClientResponse.HttpClientResponse) =>
        Effect.gen(function* () {
          const body = yield* response.text.pipe(Effect.orElseSucceed(() => ""))
          const now = yield* Clock.currentTimeMillis
          const said = protocol.errorMessage(parseJson(body)) ?? (body.slice(0, 200) || "no details")
          return yield* fail(reasonFor(response.status), `HTTP ${response.status}: ${said}`, retryAfter(response.headers["retry-after"], now))
        })
      if (!stream)
        return Effect.gen(function* () {
          const response = yield* answered
          if (response.status >= 400) return yield* refused(response)
          const body = yield* response.json.pipe(Effect.mapError(() => fail("BadResponse", "the answer was not JSON")))
          const parsed = protocol.reply(body)
          yield* annotateReply(request.provider, body)
          if (parsed === undefined) return yield* fail("BadResponse", `the answer had no message text${protocol.errorMessage(body) !== undefined ? `: ${protocol.errorMessage(body)}` : ""}`)
          return {
            text: parsed.text,
            provider: request.provider,
            model: request.model,
            usage: parsed.usage,
            ...(parsed.toolCalls !== undefined ? { toolCalls: parsed.toolCalls } : {})
          } satisfies ChatReply
        }).pipe(Effect.scoped, Effect.timeoutFail({ duration: Duration.millis(config.timeoutMillis), onTimeout: () => timedOut("no complete answer") }))
      // streamed: the timeout bounds the wait for the answer to start and each silence in it, not a long answer
      return Effect.gen(function* () {
        const response = yield* answered.pipe(Effect.timeoutFail({ duration: Duration.millis(config.timeoutMillis), onTimeout: () => timedOut("no answer") }))
        if (response.status >= 400) return yield* refused(response)
        if (!(response.headers["content-type"] ?? "").includes("text/event-stream")) {
          const body = yield* response.text.pipe(Effect.orElseSucceed(() => ""))
          return yield* fail("BadResponse", `expected a stream of events, got: ${protocol.errorMessage(parseJson(body)) ?? (body.slice(0, 200) || "an empty answer")}`)
        }
        let text = ""
        let usage = { inputTokens: 0, outputTokens: 0 }
        let finished = false
        // the push parser, not the channel: a stream of tokens is many small events
        const events: Array<Sse.Event> = []
        const parser = Sse.makeParser((e) => void (e._tag === "Event" && events.push(e)))
        yield* response.stream.pipe(
          Stream.decodeText(),
          Stream.mapError(() => fail("Network", "the answer stream broke off")),
          Stream.timeoutFail(() => timedOut("the answer stream went silent"), Duration.millis(config.timeoutMillis)),
          Stream.runForEach((received) =>
            Effect.gen(function* () {
              const tooLarge = parser.feed(received)
              if (tooLarge !== undefined) return yield* fail("BadResponse", tooLarge.message)
              for (const event of events.splice(0)) {
                if (finished) return
                const piece = protocol.piece(event.event === "message" ? "" : event.event, event.data)
                if (piece === "done") {
                  finished = true
                  return
                }
                if (piece.error !== undefined) return yield* fail("ServerError", `error in the answer stream: ${piece.error}`)
                if (piece.inputTokens !== undefined) usage = { ...usage, inputTokens: piece.inputTokens }
                if (piece.outputTokens !== undefined) usage = { ...usage, outputTokens: piece.outputTokens }
                if (piece.text !== undefined && piece.text !== "") {
                  text += piece.text
                  emitted.value = true
                  yield* request.onToken!(piece.text)
                }
                if (piece.last === true) finished = true
              }
            })
          )
        )
        if (!finished) return yield* fail("Network", "the answer stream ended before the provider said it was complete")
        return { text, provider: request.provider, model: request.model, usage } satisfies ChatReply
      }).pipe(Effect.scoped)
    }

    const chat = (request: ChatRequest): Effect.Effect<ChatReply, LlmError> => {
      const protocol = PROTOCOLS[request.provider]
      const breaker = breakers[request.provider]
      if (!isAvailable(config, request.provider))
        return Effect.fail(
          new LlmError({
            provider: request.provider,
            model: request.model,
            reason: "NotConfigured",
            message: `no API key for ${request.provider} (set llm.${request.provider}.api_key or ${keyVariable(request.provider)})`
          })
        )
      const emitted = { value: false }
      const loop = (n: number): Effect.Effect<ChatReply, LlmError> =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const wait = breaker.refuse(now)
          if (wait !== undefined)
            return yield* new LlmError({
              provider: request.provider,
              model: request.model,
              reason: "CircuitOpen",
              message: `${request.provider} failed ${config.circuit.failureThreshold} times in a row; calls resume in ${Math.ceil(wait / 1000)} s`
            })
          return yield* attempt(request, protocol, emitted).pipe(
            Effect.tap((reply) =>
              Effect.zipRight(
                Effect.sync(() => breaker.succeeded()),
                Effect.logDebug(`${request.provider}/${request.model} answered: ${reply.usage.inputTokens} tokens in, ${reply.usage.outputTokens} out`)
              )
            ),
            // the clock after the attempt: a call that hung for the whole timeout opens the circuit from now
            Effect.tapError((e) =>
              Effect.flatMap(Clock.currentTimeMillis, (after) => {
                const wasOpen = breaker.state(after).state !== "closed"
                if (e.retryable) breaker.failed(after)
                else breaker.succeeded()
                return !wasOpen && breaker.state(after).state === "open" ? Metrics.count(Metrics.circuitOpens, { provider: request.provider }) : Effect.void
              })
            ),
            Effect.onInterrupt(() => Effect.sync(() => breaker.released()))
          )
        }).pipe(
          Effect.catchIf(
            (e) => e.retryable && n < config.maxRetries && !emitted.value && (e.retryAfterSeconds === undefined || e.retryAfterSeconds * 1000 <= config.retryMaxMillis),
            (e) =>
              Effect.gen(function* () {
                const ceiling = Math.min(config.retryMaxMillis, config.retryBaseMillis * 2 ** n)
                const delay = e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : (yield* Random.next) * ceiling
                yield* Metrics.count(Metrics.llmRetries, { provider: request.provider, model: request.model })
                yield* Effect.logWarning(`${request.provider}/${request.model}: ${e.reason}: ${e.message}; retry ${n + 1} of ${config.maxRetries} in ${Math.round(delay)} ms`)
                yield* Effect.annotateCurrentSpan({ "agentmap.llm.retries": n + 1, "error.type": e.reason })
                yield* Effect.sleep(Duration.millis(delay))
                return yield* loop(n + 1)
              })
          )
        )
      return loop(0).pipe(chatSpan(request, hostOf(config.providers[request.provider].baseUrl), captureContent))
    }
    return LanguageModels.of({ chat, circuits: () => Object.fromEntries(PROVIDERS.map((p) => [p, breakers[p].state(Date.now())])) })
  })

/** The HTTP client the adapters use: the platform's `fetch`. */
export const httpClient = FetchHttpClient.layer

/** The real models, over `fetch`. */
export const layer = (config: LlmConfig) => Layer.effect(LanguageModels, make(config)).pipe(Layer.provide(httpClient))
