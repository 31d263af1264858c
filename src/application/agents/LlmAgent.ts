import { Effect } from "effect"
import type { Json } from "../../domain/Json.js"
import { type ChatMessage, conversationFrom, lastMessages, memoryFrom, numberIn, type Provider, stringIn, userText } from "../../domain/Llm.js"
import { fill } from "../../domain/Template.js"
import type { LanguageModels, LlmSettings } from "../../ports/LanguageModels.js"
import { AgentFailure, type Agent, type AgentCall } from "./Agent.js"
import { askModel } from "./ModelCall.js"
import { toolLoop } from "./ToolLoop.js"

/**
 * Where the memory list lives: Context `memory_key` names a state key (read from the state, or
 * from the input of that name); an input whose parameter is `memory` (`chat_log:memory`) reads
 * and writes its own state key. None means no memory.
 */
const memoryOf = (call: AgentCall): { readonly stateKey: string; readonly param: string | undefined } | undefined => {
  const key = stringIn(call.node.context, "memory_key")
  const bound = call.node.inputs.find((b) => (key !== undefined ? b.param === key || b.stateKey === key : b.param === "memory"))
  if (bound !== undefined) return { stateKey: bound.stateKey, param: bound.param }
  return key === undefined ? undefined : { stateKey: key, param: undefined }
}

/**
 * A chat call. The Prompt, filled from the inputs, is the system message; the inputs are the
 * user's turn (one input: its value; several: `name: value` lines); earlier turns come from the
 * memory list, which the node extends (keeping `max_memory_messages`, never starting with an
 * answer). A Prompt alone is sent as the user's turn. `ownProvider` is the provider the agent
 * type names (openai, anthropic, google).
 */
export const llmAgent =
  (models: LanguageModels["Type"], settings: LlmSettings["Type"], ownProvider: Provider | undefined): Agent =>
  (call) =>
    Effect.gen(function* () {
      const memory = memoryOf(call)
      const maxMemory = numberIn(call.node.context, "max_memory_messages")
      const stored = memory === undefined ? undefined : memory.param !== undefined ? call.inputs[memory.param] : call.state[memory.stateKey]
      const history = conversationFrom(lastMessages(memoryFrom(stored), maxMemory))
      const prompt = fill(call.prompt, call.inputs).trim()
      const user = userText(call.node.inputs.filter((b) => b.param !== memory?.param && call.inputs[b.param] !== undefined).map((b) => [b.param, call.inputs[b.param]] as const))
      const content = user.trim() === "" ? prompt : user
      if (content.trim() === "")
        return yield* Effect.fail(new AgentFailure({ type: "LlmError", message: `node '${call.node.name}' has nothing to ask: no Prompt and no input values` }))
      const turn: ChatMessage = { role: "user", content }
      const system = user.trim() === "" || prompt === "" ? undefined : prompt
      const conversation = { system, messages: [...history, turn] }
      const tools = call.tools === undefined ? undefined : yield* call.tools.load
      const { reply, llm, tools: used } =
        tools === undefined || tools.length === 0
          ? { ...(yield* askModel(models, settings, call, conversation, ownProvider)), tools: undefined }
          : yield* toolLoop(models, settings, call, conversation, ownProvider, tools)
      const extra =
        memory === undefined
          ? undefined
          : { [memory.stateKey]: conversationFrom(lastMessages([...history, turn, { role: "assistant", content: reply.text }], maxMemory)) as unknown as Json }
      return { _tag: "Done", value: reply.text, success: true, llm, ...(extra !== undefined ? { extra } : {}), ...(used !== undefined ? { tools: used } : {}) } as const
    })
