import { Effect } from "effect"
import { fill, hasPlaceholders } from "../../domain/Template.js"
import { type Agent, type AgentCall, done } from "./Agent.js"

const withPrompt = (call: AgentCall, label: string): string => {
  const text = fill(call.prompt, call.inputs)
  return text === "" ? `[${call.node.name}] ${label} executed` : `[${call.node.name}] ${label} executed with prompt: '${text}'`
}

/** No-op that reports it ran. */
export const defaultAgent: Agent = (call) => Effect.succeed(done(withPrompt(call, "DefaultAgent")))

/** Always takes the success route. */
export const successAgent: Agent = (call) => Effect.succeed(done(withPrompt(call, "SuccessAgent")))

/** Always takes the failure route, without raising. */
export const failureAgent: Agent = (call) => Effect.succeed(done(withPrompt(call, "FailureAgent"), false))

/** The filled prompt when it has placeholders; else the single input's value, or the object of all inputs. */
export const echoAgent: Agent = (call) => {
  if (hasPlaceholders(call.prompt)) return Effect.succeed(done(fill(call.prompt, call.inputs)))
  const present = Object.keys(call.inputs)
  if (present.length === 0) return Effect.succeed(done("No input provided to echo"))
  const value = call.node.inputs.length === 1 ? call.inputs[present[0]!] : call.inputs
  return Effect.succeed(done(value))
}
