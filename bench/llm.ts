// What the LLM adapter adds to a model call: the real adapter (timeout, retry loop, circuit
// breaker, redaction, SSE decoding) against a plain `fetch` of the same request, both talking
// to the fake OpenAI / Anthropic / Gemini server on loopback, whole and streamed answers.
// Medians and per-call means over interleaved rounds, all measured in this run.
//   node --import tsx bench/llm.ts [calls-per-round]        (npm run bench:llm)
import { Effect } from "effect"
import { decodeLlm } from "../src/adapters/config/LlmConfig.js"
import * as HttpLanguageModels from "../src/adapters/llm/HttpLanguageModels.js"
import type { Provider } from "../src/domain/Llm.js"
import type { ChatRequest } from "../src/ports/LanguageModels.js"
import { startFakeLlm } from "../test/support/FakeLlmServer.js"

const calls = Number(process.argv[2] ?? 300)
const rounds = 5
const fake = await startFakeLlm()
const keys = { openai: "sk-bench-0001", anthropic: "sk-ant-bench-0002", google: "AIzaBenchKey0003" }
const config = decodeLlm(
  { openai: { api_key: keys.openai, base_url: fake.openaiBaseUrl }, anthropic: { api_key: keys.anthropic, base_url: fake.anthropicBaseUrl }, google: { api_key: keys.google, base_url: fake.googleBaseUrl } },
  undefined,
  {},
  "bench",
  []
)
const models = Effect.runSync(HttpLanguageModels.make(config).pipe(Effect.provide(HttpLanguageModels.httpClient)))
const request = (provider: Provider, stream: boolean): ChatRequest => ({
  provider,
  model: "m",
  system: "Be brief.",
  messages: [{ role: "user", content: "Say something about benchmarks, in a dozen words or so please." }],
  temperature: 0,
  maxTokens: 64,
  ...(stream ? { onToken: () => Effect.void } : {})
})

/** The same request by hand: fetch, then JSON or the raw stream read to its end. */
const raw = async (provider: Provider, stream: boolean) => {
  const r = request(provider, false)
  const [url, headers, body] =
    provider === "openai"
      ? [`${fake.openaiBaseUrl}/chat/completions`, { authorization: `Bearer ${keys.openai}` }, { model: r.model, messages: [{ role: "system", content: r.system }, ...r.messages], stream }]
      : provider === "anthropic"
        ? [`${fake.anthropicBaseUrl}/v1/messages`, { "x-api-key": keys.anthropic, "anthropic-version": "2023-06-01" }, { model: r.model, system: r.system, messages: r.messages, max_tokens: 64, stream }]
        : [
            `${fake.googleBaseUrl}/v1beta/models/m:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`,
            { "x-goog-api-key": keys.google },
            { contents: [{ role: "user", parts: [{ text: r.messages[0]!.content }] }], systemInstruction: { parts: [{ text: r.system }] } }
          ]
  const response = await fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) })
  if (stream) await response.text()
  else await response.json()
}
const adapter = (provider: Provider, stream: boolean) => Effect.runPromise(models.chat(request(provider, stream)))

const time = async (f: () => Promise<unknown>) => {
  const t = performance.now()
  for (let i = 0; i < calls; i++) await f()
  return (performance.now() - t) / calls
}
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

console.log(`per-call time, median of ${rounds} interleaved rounds of ${calls} calls (fake server on loopback)`)
console.log("provider   mode      fetch ms  adapter ms  overhead ms  ratio")
for (const provider of ["openai", "anthropic", "google"] as const)
  for (const stream of [false, true]) {
    await time(() => raw(provider, stream))
    await time(() => adapter(provider, stream))
    const a: Array<number> = []
    const b: Array<number> = []
    for (let i = 0; i < rounds; i++) {
      a.push(await time(() => raw(provider, stream)))
      b.push(await time(() => adapter(provider, stream)))
    }
    const [f, m] = [median(a), median(b)]
    console.log(`${provider.padEnd(10)} ${(stream ? "stream" : "whole").padEnd(8)} ${f.toFixed(3).padStart(8)}  ${m.toFixed(3).padStart(10)}  ${(m - f).toFixed(3).padStart(11)}  ${(m / f).toFixed(2).padStart(5)}`)
  }
await fake.close()
