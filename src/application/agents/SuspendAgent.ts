import { Effect } from "effect"
import { NEGATIVE_ACTIONS } from "../../domain/Resume.js"
import { fill } from "../../domain/Template.js"
import { type Agent, done, suspend } from "./Agent.js"

/**
 * Waits for an outside system. The payload carries the prompt and the Context's `reason` and
 * `external_ref` (and any other Context keys); on resume the node's value is `{ action, data }`,
 * and reject / cancel / stop / end take the failure route.
 */
export const suspendAgent: Agent = (call) => {
  if (call.resume !== undefined)
    return Effect.succeed(done({ action: call.resume.action, data: call.resume.data ?? null }, !NEGATIVE_ACTIONS.has(call.resume.action)))
  const { reason, external_ref, ...rest } = call.node.context
  return Effect.succeed(
    suspend("suspend", {
      ...rest,
      prompt: fill(call.prompt, call.inputs),
      reason: reason ?? null,
      external_ref: external_ref ?? null
    })
  )
}
