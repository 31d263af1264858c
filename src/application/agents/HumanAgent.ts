import { Effect, Either } from "effect"
import { isJsonObject } from "../../domain/Json.js"
import { NEGATIVE_ACTIONS, chosenOption } from "../../domain/Resume.js"
import { fill } from "../../domain/Template.js"
import { AgentFailure, type Agent, done, suspend } from "./Agent.js"

const INTERACTIONS = ["approval", "choice", "text_input", "edit"] as const

/**
 * A person decides. Suspends with `{ interaction_type, prompt, options, timeout_seconds }`; on
 * resume: approval → true for approve, false (and the failure route) for reject; choice →
 * `options[data.choice - 1]`; text_input → `data.text`; edit → `data.edited`. The timeout is
 * informational: nothing runs without a resume.
 */
export const humanAgent: Agent = (call) => {
  const context = call.node.context
  const interaction = typeof context["interaction_type"] === "string" ? context["interaction_type"] : "approval"
  const options = Array.isArray(context["options"]) ? context["options"] : []
  if (!(INTERACTIONS as ReadonlyArray<string>).includes(interaction))
    return Effect.fail(
      new AgentFailure({ type: "InvalidContext", message: `human node '${call.node.name}': interaction_type '${interaction}' is not one of ${INTERACTIONS.join(", ")}` })
    )
  const resume = call.resume
  if (resume === undefined)
    return Effect.succeed(
      suspend("human", {
        interaction_type: interaction,
        prompt: fill(call.prompt, call.inputs),
        options,
        timeout_seconds: typeof context["timeout_seconds"] === "number" ? context["timeout_seconds"] : null,
        ...(context["default_action"] !== undefined ? { default_action: context["default_action"] } : {})
      })
    )
  const data = isJsonObject(resume.data) ? resume.data : {}
  if (interaction === "approval") {
    const approved = resume.action === "approve" || (resume.action !== "reject" && data["approved"] === true)
    return Effect.succeed(done(approved, approved))
  }
  const negative = NEGATIVE_ACTIONS.has(resume.action)
  if (negative) return Effect.succeed(done(null, false))
  switch (interaction) {
    case "choice":
      return Either.match(chosenOption(options, resume.data), {
        onLeft: (message) => Effect.fail(new AgentFailure({ type: "InvalidResume", message })),
        onRight: (choice) => Effect.succeed(done(choice))
      })
    case "text_input":
      return Effect.succeed(done(data["text"] ?? null))
    default:
      return Effect.succeed(done(data["edited"] ?? null))
  }
}
