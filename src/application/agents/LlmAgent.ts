import { Effect } from "effect"
import type { Json } from "../../domain/Json.js"
import { type ChatMessage, lastMessages, memoryFrom, numberIn, type Provider, stringIn, userText } from "../../domain/Llm.js"
import { fill } from "../../domain/Template.js"
import type { LanguageModels, LlmSettings } from "../../ports/LanguageModels.js"
import type { Agent, AgentCall } from "./Agent.js"
import { askModel } from "./ModelCall.js"

/** The memory list's key: Context `memory_key`, or an input named `memory`; none means no memory. */
const memoryKeyOf = (call: AgentCall) =>
  stringIn(call.node.context, "memory_key") ?? (call.node.inputs.some((b) => b.param === "memory") ? "memory" : undefined)

/**
 * A chat call. The Prompt, filled from the inputs, is the system message; the inputs are the
 * user's turn (one input: its value; several: `name: value` lines); earlier turns come from the
 * memory list, which the node extends (keeping `max_memory_messages`). A Prompt alone is sent as
 * the user's turn. `ownProvider` is the provider the agent type names (openai, anthropic, google).
 */
export const llmAgent =
  (models: LanguageModels["Type"], settings: LlmSettings["Type"], ownProvider: Provider | undefined): Agent =>
  (call) =>
    Effect.gen(function* () {
      const memoryKey = memoryKeyOf(call)
      const maxMemory = numberIn(call.node.context, "max_memory_messages")
      const history = memoryKey === undefined ? [] : lastMessages(memoryFrom(call.state[memoryKey]), maxMemory)
      const prompt = fill(call.prompt, call.inputs).trim()
      const user = userText(call.node.inputs.filter((b) => b.param !== memoryKey && call.inputs[b.param] !== undefined).map((b) => [b.param, call.inputs[b.param]] as const))
      const turn: ChatMessage = { role: "user", content: user.trim() === "" ? prompt : user }
      const system = user.trim() === "" || prompt === "" ? undefined : prompt
      const { reply, llm } = yield* askModel(models, settings, call, { system, messages: [...history, turn] }, ownProvider)
      const memory =
        memoryKey === undefined
          ? undefined
          : { [memoryKey]: lastMessages([...history, turn, { role: "assistant", content: reply.text }], maxMemory) as unknown as Json }
      return { _tag: "Done", value: reply.text, success: true, llm, ...(memory !== undefined ? { extra: memory } : {}) } as const
    })
