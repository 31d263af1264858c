import { Effect } from "effect"
import { fill, hasPlaceholders } from "../../domain/Template.js"
import type { Agent, AgentCall } from "./Agent.js"

const withPrompt = (call: AgentCall, label: string): string => {
  const text = fill(call.prompt, call.inputs)
  return text === "" ? `[${call.node.name}] ${label} executed` : `[${call.node.name}] ${label} executed with prompt: '${text}'`
}

/** No-op that reports it ran. */
export const defaultAgent: Agent = (call) => Effect.succeed({ value: withPrompt(call, "DefaultAgent"), success: true })

/** Always takes the success route. */
export const successAgent: Agent = (call) => Effect.succeed({ value: withPrompt(call, "SuccessAgent"), success: true })

/** Always takes the failure route, without raising. */
export const failureAgent: Agent = (call) => Effect.succeed({ value: withPrompt(call, "FailureAgent"), success: false })

/** The filled prompt when it has placeholders; else the single input's value, or the object of all inputs. */
export const echoAgent: Agent = (call) => {
  if (hasPlaceholders(call.prompt)) return Effect.succeed({ value: fill(call.prompt, call.inputs), success: true })
  const present = Object.keys(call.inputs)
  if (present.length === 0) return Effect.succeed({ value: "No input provided to echo", success: true })
  const value = call.node.inputs.length === 1 ? call.inputs[present[0]!] : call.inputs
  return Effect.succeed({ value, success: true })
}
