import { Effect } from "effect"
import { toText } from "../../domain/Json.js"
import { numberIn, stringIn } from "../../domain/Llm.js"
import { matchByKeywords, optionNamed, type RouteOption } from "../../domain/Orchestration.js"
import type { LanguageModels, LlmSettings } from "../../ports/LanguageModels.js"
import { AgentFailure, type Agent, type AgentCall, type LlmRecord } from "./Agent.js"
import { askModel } from "./ModelCall.js"

/** The nodes to choose from: Context `nodes` (`A|B` or a list), else every other node of the graph. */
const optionsOf = (call: AgentCall): ReadonlyArray<RouteOption> => {
  const listed = call.node.context["nodes"]
  const names = Array.isArray(listed) ? listed.map(String) : typeof listed === "string" && listed.trim() !== "" && listed !== "all" ? listed.split(/[|,]/).map((s) => s.trim()) : undefined
  return call.graphNodes
    .filter((n) => n.name !== call.node.name && (names === undefined || names.includes(n.name)))
    .map((n) => ({ name: n.name, description: [n.description, n.prompt].filter((t) => t.trim() !== "").join(" — ") }))
}

/**
 * Picks the next node from the input text: `algorithm` (keyword matching over node names and
 * descriptions), `llm` (a model chooses), or `tiered` (default: keywords when confident enough —
 * Context `confidence_threshold`, default 0.8 — else the model). The chosen name is the output and
 * the run goes there; with no choice it takes Context `default_target`, or fails.
 */
export const orchestratorAgent =
  (models: LanguageModels["Type"], settings: LlmSettings["Type"]): Agent =>
  (call) =>
    Effect.gen(function* () {
      const context = call.node.context
      const strategy = (stringIn(context, "matching_strategy", "algorithm", "strategy") ?? "tiered").toLowerCase()
      const threshold = numberIn(context, "confidence_threshold") ?? 0.8
      const options = optionsOf(call)
      const input = call.node.inputs.map((b) => toText(call.inputs[b.param])).filter((t) => t !== "").join("\n")
      const byKeywords = strategy === "llm" ? undefined : matchByKeywords(input, options)
      let chosen = byKeywords !== undefined && (strategy === "algorithm" || byKeywords.confidence >= threshold) ? byKeywords.node : undefined
      let llm: LlmRecord | undefined
      if (chosen === undefined && strategy !== "algorithm" && options.length > 0) {
        const instructions = call.prompt.trim() === "" ? "" : `${call.prompt.trim()}\n\n`
        const asking = askModel(
          models,
          settings,
          call,
          {
            system: `${instructions}Choose the one step that best handles the user's request. Answer with the step's name only.\n\nSteps:\n${options.map((o) => `- ${o.name}${o.description === "" ? "" : `: ${o.description}`}`).join("\n")}`,
            messages: [{ role: "user", content: input === "" ? "(no input)" : input }]
          },
          undefined
        )
        // tiered: a model that cannot answer leaves the keywords' best guess (or the default target)
        const asked = strategy === "llm" ? yield* asking : yield* Effect.either(asking).pipe(Effect.map((e) => (e._tag === "Right" ? e.right : { reply: undefined, llm: e.left.llm })))
        llm = asked.llm
        chosen = (asked.reply === undefined ? undefined : optionNamed(asked.reply.text, options)) ?? byKeywords?.node
      }
      const fallback = stringIn(context, "default_target")
      if (chosen === undefined && fallback !== undefined) {
        if (fallback === call.node.name || !call.graphNodes.some((n) => n.name === fallback))
          return yield* Effect.fail(
            new AgentFailure({ type: "NoRoute", message: `orchestrator '${call.node.name}': default_target '${fallback}' is not another node of this graph`, ...(llm ? { llm } : {}) })
          )
        chosen = fallback
      }
      if (chosen === undefined)
        return yield* Effect.fail(
          new AgentFailure({ type: "NoRoute", message: `orchestrator '${call.node.name}' found no step for the input among ${options.map((o) => o.name).join(", ") || "no candidates"}`, ...(llm ? { llm } : {}) })
        )
      return { _tag: "Done", value: chosen, success: true, next: [chosen], ...(llm !== undefined ? { llm } : {}) } as const
    })
