import { Effect } from "effect"
import { toText } from "../../domain/Json.js"
import { fill } from "../../domain/Template.js"
import { AgentFailure, type Agent, done } from "./Agent.js"

/** Joins the inputs in Input_Fields order as `format` (default `{key}: {value}`) with `separator` (default a blank line). */
export const summaryAgent: Agent = (call) => {
  const context = call.node.context
  if (context["llm"] !== undefined && context["llm"] !== null && context["llm"] !== false)
    return Effect.fail(
      new AgentFailure({
        type: "Unsupported",
        message: `summary node '${call.node.name}' asks for an LLM summary (Context 'llm'), and no LLM provider is available in this build`
      })
    )
  const format = typeof context["format"] === "string" ? context["format"] : "{key}: {value}"
  const separator = typeof context["separator"] === "string" ? context["separator"] : "\n\n"
  const parts = call.node.inputs
    .filter((b) => call.inputs[b.param] !== undefined && call.inputs[b.param] !== null)
    .map((b) => fill(format, { key: b.param, value: toText(call.inputs[b.param]) }))
  return Effect.succeed(done(parts.join(separator)))
}
