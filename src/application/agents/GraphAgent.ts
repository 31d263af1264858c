import { Effect } from "effect"
import { isJsonObject, type Json, type JsonObject } from "../../domain/Json.js"
import { AgentFailure, type Agent } from "./Agent.js"

/**
 * Runs another graph as a subgraph. The child gets the listed inputs (`child=parent` renames),
 * or the whole parent state when none are listed; its final state is the node's value, so
 * Output_Field `key` keeps all of it and `parent=child` copies one field back.
 */
export const graphAgent: Agent = (call) => {
  const input: Record<string, Json> = {}
  if (call.node.inputs.length === 0) Object.assign(input, call.state)
  else for (const [param, value] of Object.entries(call.inputs)) input[param] = value as Json
  return call.runSubgraph(input).pipe(
    Effect.flatMap((outcome) => {
      if (outcome.status === "failed")
        return Effect.fail(
          new AgentFailure({ type: "SubgraphFailed", message: `subgraph of '${call.node.name}' failed: ${outcome.error?.message ?? "see its errors"}` })
        )
      const state: JsonObject = outcome.state
      const flag = state["last_action_success"]
      return Effect.succeed({ value: isJsonObject(state) ? state : {}, success: flag !== false })
    })
  )
}
