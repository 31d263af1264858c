import { Effect } from "effect"
import type { Json } from "../../domain/Json.js"
import type { EngineOutcome } from "../../ports/WorkflowEngine.js"
import { AgentFailure, type Agent, type AgentOutcome, done, suspend } from "./Agent.js"

/**
 * Runs another graph as a subgraph, in a thread of its own. The child gets the listed inputs
 * (`child=parent` renames), or the whole parent state when none are listed; its final state is
 * the node's value, so Output_Field `key` keeps all of it and `parent=child` copies one field
 * back. When the child suspends, the parent suspends with the child's interrupt, and the
 * resume goes through the parent to the child.
 */
export const graphAgent: Agent = (call) => {
  const settle = (outcome: EngineOutcome): Effect.Effect<AgentOutcome, AgentFailure> => {
    switch (outcome.status) {
      case "failed":
        return Effect.fail(
          new AgentFailure({ type: "SubgraphFailed", message: `subgraph of '${call.node.name}' failed: ${outcome.error?.message ?? "see its errors"}` })
        )
      case "suspended":
        return Effect.succeed(suspend(outcome.interrupt!.type, outcome.interrupt!.payload))
      case "completed":
        return Effect.succeed(done(outcome.state, outcome.state["last_action_success"] !== false))
    }
  }
  if (call.resume !== undefined) return call.child.resume(call.resume).pipe(Effect.flatMap(settle))
  const input: Record<string, Json> = {}
  if (call.node.inputs.length === 0) Object.assign(input, call.state)
  else for (const [param, value] of Object.entries(call.inputs)) input[param] = value as Json
  return call.child.run(input).pipe(Effect.flatMap(settle))
}
