import { Effect } from "effect"
import { numberIn, type Provider } from "../../domain/Llm.js"
import type { ToolCallRecord } from "../../domain/RunResult.js"
import type { ChatReply, ChatTurn, LanguageModels, LlmSettings, ToolResultTurn } from "../../ports/LanguageModels.js"
import type { RunnableTool } from "../../ports/Tools.js"
import { AgentFailure, type AgentCall, type LlmRecord } from "./Agent.js"
import { askModel, type Conversation } from "./ModelCall.js"
import { callTool } from "./ToolCalls.js"

export const DEFAULT_MAX_TOOL_CALLS = 8

const sum = (a: LlmRecord | undefined, b: LlmRecord): LlmRecord =>
  a === undefined ? b : { ...b, input_tokens: a.input_tokens + b.input_tokens, output_tokens: a.output_tokens + b.output_tokens }

/**
 * A model with tools: it answers or asks for tool calls; each call runs (a failing call is told
 * to the model as an error, not raised) and its result goes back, until the model answers in
 * text. At most Context `max_tool_calls` calls (default 8): one more is a node failure. The
 * token counts add up over every turn; the final answer goes to listeners as one piece.
 */
export const toolLoop = (
  models: LanguageModels["Type"],
  settings: LlmSettings["Type"],
  call: AgentCall,
  conversation: Conversation,
  ownProvider: Provider | undefined,
  tools: ReadonlyArray<RunnableTool>
): Effect.Effect<{ readonly reply: ChatReply; readonly llm: LlmRecord; readonly tools: ReadonlyArray<ToolCallRecord> }, AgentFailure> =>
  Effect.gen(function* () {
    const max = Math.max(0, Math.floor(numberIn(call.node.context, "max_tool_calls") ?? DEFAULT_MAX_TOOL_CALLS))
    const specs = tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }))
    const records: Array<ToolCallRecord> = []
    let turns: ReadonlyArray<ChatTurn> = conversation.messages
    let llm: LlmRecord | undefined
    for (;;) {
      const asked = yield* askModel(models, settings, call, { system: conversation.system, messages: turns }, ownProvider, specs).pipe(
        Effect.mapError((e) => new AgentFailure({ message: e.message, ...(e.type !== undefined ? { type: e.type } : {}), ...(e.llm !== undefined ? { llm: sum(llm, e.llm) } : {}), tools: records }))
      )
      llm = sum(llm, asked.llm)
      const calls = asked.reply.toolCalls ?? []
      if (calls.length === 0) {
        if (call.emitToken !== undefined && asked.reply.text !== "") yield* call.emitToken(asked.reply.text)
        return { reply: asked.reply, llm, tools: records }
      }
      if (records.length + calls.length > max)
        return yield* new AgentFailure({
          type: "TooManyToolCalls",
          message: `node '${call.node.name}': the model asked for more than max_tool_calls (${max}) tool calls; raise Context max_tool_calls if it needs more`,
          llm,
          tools: records
        })
      const results: Array<ToolResultTurn> = []
      for (const c of calls) {
        const tool = tools.find((t) => t.name === c.name)
        if (tool === undefined) {
          const message = `there is no tool '${c.name}' (tools: ${tools.map((t) => t.name).join(", ")})`
          const record = { name: c.name, args: c.args, error: message }
          records.push(record)
          if (call.emitTool !== undefined) yield* call.emitTool(record)
          results.push({ role: "tool", callId: c.id, name: c.name, content: message, isError: true })
          continue
        }
        const outcome = yield* callTool(call, tool, c.args)
        records.push(outcome.record)
        results.push(
          outcome._tag === "Ok"
            ? { role: "tool", callId: c.id, name: c.name, content: typeof outcome.result === "string" ? outcome.result : JSON.stringify(outcome.result), isError: false }
            : { role: "tool", callId: c.id, name: c.name, content: outcome.error.message, isError: true }
        )
      }
      turns = [...turns, { role: "assistant", content: asked.reply.text, toolCalls: calls }, ...results]
    }
  })

