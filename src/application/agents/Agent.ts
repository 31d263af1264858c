import { Data, type Effect } from "effect"
import type { JsonObject } from "../../domain/Json.js"
import type { NodeSpec } from "../../domain/Workflow.js"
import type { EngineOutcome, RunAbort } from "../../ports/WorkflowEngine.js"

/** A node raised: its outputs are not written, the error is recorded and Failure_Next is taken. */
export class AgentFailure extends Data.TaggedError("AgentFailure")<{
  readonly message: string
  readonly type?: string
}> {}

/** Everything an agent sees of one node run. */
export interface AgentCall {
  readonly node: NodeSpec
  /** Input values by parameter name; only inputs present in the state are listed. */
  readonly inputs: Readonly<Record<string, unknown>>
  /** The node's prompt with references (`prompt:`, `file:`, `yaml:`) resolved, placeholders not yet filled. */
  readonly prompt: string
  readonly state: JsonObject
  /** Runs the node's subgraph with the given child state (graph agents only). */
  readonly runSubgraph: (input: JsonObject) => Effect.Effect<EngineOutcome, RunAbort | AgentFailure>
}

/** The agent's value (mapped onto Output_Field) and whether it took its success route. */
export interface AgentOutcome {
  readonly value: unknown
  readonly success: boolean
}

export type Agent = (call: AgentCall) => Effect.Effect<AgentOutcome, AgentFailure | RunAbort>
