import { Effect } from "effect"
import { toText } from "../../domain/Json.js"
import { providerNamed } from "../../domain/Llm.js"
import { fill } from "../../domain/Template.js"
import type { LanguageModels, LlmSettings } from "../../ports/LanguageModels.js"
import { type Agent, done } from "./Agent.js"
import { askModel } from "./ModelCall.js"

/**
 * Joins the inputs in Input_Fields order as `format` (default `{key}: {value}`) with `separator`
 * (default a blank line). With Context `llm` (true or a provider name) a model summarises the
 * joined text instead; the Prompt, filled from the inputs, tells it how.
 */
export const summaryAgent =
  (models: LanguageModels["Type"], settings: LlmSettings["Type"]): Agent =>
  (call) => {
    const context = call.node.context
    const format = typeof context["format"] === "string" ? context["format"] : "{key}: {value}"
    const separator = typeof context["separator"] === "string" ? context["separator"] : "\n\n"
    const joined = call.node.inputs
      .filter((b) => call.inputs[b.param] !== undefined && call.inputs[b.param] !== null)
      .map((b) => fill(format, { key: b.param, value: toText(call.inputs[b.param]) }))
      .join(separator)
    const llm = context["llm"]
    const off = llm === undefined || llm === null || llm === false || llm === 0 || (typeof llm === "string" && ["", "false", "no", "0", "off", "none"].includes(llm.trim().toLowerCase()))
    if (off) return Effect.succeed(done(joined))
    const instructions = fill(call.prompt, call.inputs).trim()
    return askModel(
      models,
      settings,
      call,
      { system: instructions === "" ? "Summarise the following text concisely." : instructions, messages: [{ role: "user", content: joined }] },
      providerNamed(llm)
    ).pipe(Effect.map(({ reply, llm: usage }) => ({ _tag: "Done", value: reply.text, success: true, llm: usage }) as const))
  }
