import { Effect } from "effect"
import { toText } from "../../domain/Json.js"
import { numberIn, stringIn } from "../../domain/Llm.js"
import { matchByKeywords, optionNamed } from "../../domain/Orchestration.js"
import { fill } from "../../domain/Template.js"
import { argumentsFromInputs } from "../../domain/ToolArguments.js"
import type { LanguageModels, LlmSettings } from "../../ports/LanguageModels.js"
import type { RunnableTool } from "../../ports/Tools.js"
import { AgentFailure, type Agent, type AgentCall, type LlmRecord } from "./Agent.js"
import { askModel } from "./ModelCall.js"
import { callTool } from "./ToolCalls.js"

interface Choice {
  readonly tool: RunnableTool
  /** Arguments the model gave with its call (llm strategy); otherwise they come from the inputs. */
  readonly args: Readonly<Record<string, unknown>> | undefined
}

/** The node's inputs in Input_Fields order (only those present in the state). */
const inputsOf = (call: AgentCall): ReadonlyArray<readonly [string, unknown]> =>
  call.node.inputs.filter((b) => call.inputs[b.param] !== undefined).map((b) => [b.param, call.inputs[b.param]] as const)

/** Lets a model choose among the tools by calling one (native tool calling); a text answer naming a tool counts too. */
const askForTool = (models: LanguageModels["Type"], settings: LlmSettings["Type"], call: AgentCall, tools: ReadonlyArray<RunnableTool>, prompt: string, request: string) =>
  askModel(
    models,
    settings,
    call,
    {
      system: `${prompt === "" ? "" : `${prompt}\n\n`}Call the one tool that best handles the user's request, with its arguments taken from the request.`,
      messages: [{ role: "user", content: request === "" ? "(no input)" : request }]
    },
    undefined,
    tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }))
  ).pipe(
    Effect.map(({ reply, llm }) => {
      const asked = reply.toolCalls?.find((c) => tools.some((t) => t.name === c.name))
      const named = asked === undefined ? optionNamed(reply.text, tools.map((t) => ({ name: t.name, description: t.description }))) : undefined
      const tool = tools.find((t) => t.name === (asked?.name ?? named))
      const choice: Choice | undefined = tool === undefined ? undefined : { tool, args: asked !== undefined && Object.keys(asked.args).length > 0 ? asked.args : undefined }
      return { choice, llm }
    })
  )

/**
 * `tool_agent`: runs one of the node's tools. One tool is called directly; among several,
 * Context `matching_strategy` chooses: `algorithm` (keywords of the prompt and inputs against tool
 * names and descriptions), `llm` (the model calls one, natively), or `tiered` (default: keywords
 * when confident — `confidence_threshold`, default 0.8 — else the model; a model that cannot
 * answer leaves the keywords' best guess). Arguments come from the inputs by name, then by
 * position, checked against the tool's schema; the tool's result is the output.
 */
export const toolAgent =
  (models: LanguageModels["Type"], settings: LlmSettings["Type"]): Agent =>
  (call) =>
    Effect.gen(function* () {
      const node = call.node.name
      if (call.tools === undefined) return yield* new AgentFailure({ type: "ToolNotFound", message: `tool node '${node}' names no tools (Tool_Source, Available_Tools)` })
      const tools = yield* call.tools.load
      if (tools.length === 0) return yield* new AgentFailure({ type: "ToolNotFound", message: `tool node '${node}': ${call.tools.source} offers no tools` })
      const inputs = inputsOf(call)
      const prompt = fill(call.prompt, call.inputs).trim()
      let choice: Choice | undefined = tools.length === 1 ? { tool: tools[0]!, args: undefined } : undefined
      let llm: LlmRecord | undefined
      if (choice === undefined) {
        const context = call.node.context
        const strategy = (stringIn(context, "matching_strategy", "strategy") ?? "tiered").toLowerCase()
        const threshold = numberIn(context, "confidence_threshold") ?? 0.8
        const request = inputs.map(([, v]) => toText(v)).filter((t) => t !== "").join("\n")
        const options = tools.map((t) => ({ name: t.name, description: t.description }))
        const byKeywords = strategy === "llm" ? undefined : matchByKeywords(`${prompt}\n${request}`, options)
        const guess = byKeywords === undefined ? undefined : tools.find((t) => t.name === byKeywords.node)
        if (guess !== undefined && (strategy === "algorithm" || byKeywords!.confidence >= threshold)) choice = { tool: guess, args: undefined }
        else if (strategy !== "algorithm") {
          const asking = askForTool(models, settings, call, tools, prompt, request)
          const asked = strategy === "llm" ? yield* asking : yield* asking.pipe(Effect.catchAll((e) => Effect.succeed({ choice: undefined, llm: e.llm })))
          llm = asked.llm
          choice = asked.choice ?? (guess !== undefined ? { tool: guess, args: undefined } : undefined)
        }
        if (choice === undefined)
          return yield* new AgentFailure({
            type: "ToolNotFound",
            message: `tool node '${node}' found no tool for its prompt and inputs among ${tools.map((t) => t.name).join(", ")} (matching_strategy ${strategy})`,
            ...(llm !== undefined ? { llm } : {})
          })
      }
      const args = choice.args ?? argumentsFromInputs(choice.tool.parameters, inputs)
      const outcome = yield* callTool(call, choice.tool, args)
      if (outcome._tag === "Failed")
        return yield* new AgentFailure({ type: "ToolError", message: `node '${node}': ${outcome.error.message}`, tools: [outcome.record], ...(llm !== undefined ? { llm } : {}) })
      return { _tag: "Done", value: outcome.result, success: true, tools: [outcome.record], ...(llm !== undefined ? { llm } : {}) } as const
    })
