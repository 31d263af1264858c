import { Cause, Effect, Exit, Runtime } from "effect"
import type { Json } from "../../domain/Json.js"
import { providerNamed } from "../../domain/Llm.js"
import { fill } from "../../domain/Template.js"
import type { AgentContext, AgentDefinition, AgentStorage, ResumeAnswer } from "../../ports/AgentDefinition.js"
import type { DocumentStorage } from "../../ports/DocumentStorage.js"
import type { LanguageModels, LlmSettings } from "../../ports/LanguageModels.js"
import { AgentFailure, type Agent, type AgentCall, type LlmRecord } from "./Agent.js"
import { askModel } from "./ModelCall.js"

export interface CustomAgentDeps {
  readonly models: LanguageModels["Type"]
  readonly settings: LlmSettings["Type"]
  readonly storage: DocumentStorage["Type"]
  readonly services: Readonly<Record<string, unknown>>
}

/** An error's own fields (a tagged error's data), for a message when it has no text of its own. */
const fieldsOf = (e: object): string => {
  const fields = Object.fromEntries(Object.entries(e).filter(([k]) => k !== "_tag" && k !== "stack" && k !== "message"))
  return Object.keys(fields).length === 0 ? "" : ` ${JSON.stringify(fields)}`
}
const tagOf = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && typeof (e as { _tag?: unknown })._tag === "string" ? (e as { _tag: string })._tag : undefined
/** What a failure says: its message, or for a tagged error with none (`Data.TaggedError`) its tag and fields. */
const messageOf = (e: unknown): string => {
  if (e instanceof Error && e.message !== "") return e.message
  const tag = tagOf(e)
  if (tag !== undefined) return `${tag}${fieldsOf(e as object)}`
  if (e instanceof Error) return e.name
  return typeof e === "string" ? e : (JSON.stringify(e) ?? String(e))
}
const jsonSafe = (value: unknown): Json => (value === undefined ? null : (JSON.parse(JSON.stringify(value) ?? "null") as Json))

/** `ctx.services`: reading a service the host did not provide says so, instead of handing out undefined. */
const servicesView = (services: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> =>
  new Proxy(services, {
    get: (target, key) => {
      if (typeof key !== "string" || key in target || key === "then" || key === "toJSON") return Reflect.get(target, key)
      throw new Error(`host service '${key}' was not provided (provided: ${Object.keys(target).join(", ") || "none"}); pass it with createAgentMap({ services }) or paths.host_services`)
    }
  })

type Outcome = { readonly _tag: "value"; readonly value: unknown } | { readonly _tag: "suspend"; readonly payload: unknown }

/**
 * A custom agent: the definition's `run` gets the `ctx` (AgentDefinition.ts) and returns the
 * output value, a Promise of it or an Effect. A throw, a rejection or a failed Effect is an
 * ordinary node failure (its message in `errors`, its stack in the log only). `ctx.suspend`
 * suspends the run like a `suspend` node; on resume the node runs again and `suspend` returns
 * the answer.
 */
export const customAgent =
  (type: string, definition: AgentDefinition<unknown>, deps: CustomAgentDeps): Agent =>
  (call: AgentCall) =>
    Effect.gen(function* () {
      const runtime = yield* Effect.runtime<never>()
      const runSync = Runtime.runSync(runtime)
      const promise = <A, E>(effect: Effect.Effect<A, E>) =>
        Runtime.runPromiseExit(runtime)(effect).then((exit) => (Exit.isSuccess(exit) ? exit.value : Promise.reject(new Error(messageOf(Cause.squash(exit.cause))))))
      const spent: { llm: LlmRecord | undefined } = { llm: undefined }
      let asked = false
      let suspendWith: ((payload: unknown) => void) | undefined
      const suspension = new Promise<Outcome>((resolve) => (suspendWith = (payload) => resolve({ _tag: "suspend", payload })))
      const node = call.node
      const write = (level: "Debug" | "Info" | "Warning" | "Error", message: string, fields?: Readonly<Record<string, unknown>>) => {
        const effect = level === "Debug" ? Effect.logDebug(message) : level === "Info" ? Effect.logInfo(message) : level === "Warning" ? Effect.logWarning(message) : Effect.logError(message)
        runSync(effect.pipe(Effect.annotateLogs({ node: node.name, agent: type, ...fields })))
      }
      const storage: AgentStorage = {
        readText: (p) => promise(deps.storage.readText(p)),
        writeText: (p, text, o) => promise(deps.storage.writeText(p, text, o?.append === true ? "append" : "write")).then(() => undefined),
        readJson: (p) => promise(deps.storage.readJson(p)),
        writeJson: (p, value, o) => promise(deps.storage.writeJson(p, jsonSafe(value), o?.append === true ? "append" : "write")).then(() => undefined),
        readCsv: (p) => promise(deps.storage.readCsv(p)),
        writeCsv: (p, rows, o) => promise(deps.storage.writeCsv(p, rows.map((r) => jsonSafe(r) as Readonly<Record<string, Json>>), o?.append === true ? "append" : "write")).then(() => undefined)
      }
      const ctx = (signal: AbortSignal): AgentContext<unknown> => ({
        inputs: call.inputs,
        prompt: fill(call.prompt, call.inputs),
        context: node.context,
        node: {
          name: node.name,
          type: node.declaredType,
          description: node.description,
          inputs: node.inputs.map((b) => b.param),
          outputs: node.outputs.map((o) => o.stateKey),
          file: node.file,
          line: node.line
        },
        graph: { name: call.graphName ?? "", nodes: call.graphNodes.map((n) => n.name), threadId: call.threadId ?? "" },
        state: structuredClone(call.state),
        llm: {
          chat: (request) => {
            const context = {
              ...node.context,
              ...(request.provider !== undefined ? { provider: request.provider } : {}),
              ...(request.model !== undefined ? { model: request.model } : {}),
              ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
              ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {})
            }
            const messages = request.messages ?? (request.user !== undefined ? [{ role: "user" as const, content: request.user }] : [{ role: "user" as const, content: fill(call.prompt, call.inputs) }])
            const asking = askModel(deps.models, deps.settings, { ...call, emitToken: undefined, node: { ...node, context } }, { system: request.system, messages }, providerNamed(request.provider))
            return promise(
              asking.pipe(
                Effect.tap(({ llm }) =>
                  Effect.sync(() => {
                    const before = spent.llm
                    spent.llm = before === undefined ? llm : { ...llm, input_tokens: before.input_tokens + llm.input_tokens, output_tokens: before.output_tokens + llm.output_tokens }
                  })
                ),
                Effect.map(({ reply }) => ({ text: reply.text, provider: reply.provider, model: reply.model, usage: reply.usage }))
              )
            )
          }
        },
        storage,
        services: servicesView(deps.services),
        log: {
          debug: (m, f) => write("Debug", m, f),
          info: (m, f) => write("Info", m, f),
          warn: (m, f) => write("Warning", m, f),
          error: (m, f) => write("Error", m, f)
        },
        signal,
        suspend: (payload) => {
          if (call.resume !== undefined && !asked) {
            asked = true
            return Promise.resolve<ResumeAnswer>({ action: call.resume.action, data: call.resume.data ?? null })
          }
          if (call.resume !== undefined) return Promise.reject(new Error("a custom agent may suspend once per node run; this node was already resumed"))
          suspendWith?.(payload)
          return new Promise<ResumeAnswer>(() => {})
        },
        emit: (data) => {
          if (call.emitCustom !== undefined) runSync(call.emitCustom(jsonSafe(data)))
        }
      })
      const outcome = yield* Effect.tryPromise({
        try: (signal) =>
          Promise.race([
            suspension,
            (async (): Promise<Outcome> => {
              const returned = definition.run(ctx(signal))
              const value = Effect.isEffect(returned)
                ? await Runtime.runPromiseExit(runtime)(returned as Effect.Effect<unknown, unknown>, { signal }).then((exit) =>
                    Exit.isSuccess(exit) ? exit.value : Promise.reject(Cause.squash(exit.cause))
                  )
                : await returned
              return { _tag: "value", value }
            })()
          ]),
        catch: (e) => e
      }).pipe(
        Effect.tapError((e) => Effect.logWarning(`custom agent '${type}' of node '${node.name}' failed`).pipe(Effect.annotateLogs({ node: node.name, agent: type, stack: e instanceof Error ? (e.stack ?? e.message) : messageOf(e) }))),
        Effect.mapError((e) => new AgentFailure({ type: tagOf(e) ?? "AgentError", message: messageOf(e), ...(spent.llm !== undefined ? { llm: spent.llm } : {}) }))
      )
      if (outcome._tag === "suspend") return { _tag: "Suspend", type: "suspend", payload: jsonSafe(outcome.payload ?? {}) } as const
      return { _tag: "Done", value: jsonSafe(outcome.value), success: true, ...(spent.llm !== undefined ? { llm: spent.llm } : {}) } as const
    })
