import { Context, type Effect } from "effect"
import type { InputRequired } from "../domain/Errors.js"
import type { JsonObject } from "../domain/Json.js"
import type { NodeExecution, RunError } from "../domain/RunResult.js"
import type { GraphSpec, NodeSpec } from "../domain/Workflow.js"

/** An error a node raised, as recorded in the state's `errors` list. */
export interface NodeError {
  readonly node: string
  readonly type: string
  readonly message: string
}

/** What one node did: the state keys it writes, its routing outcome, and its tracking record. */
export interface NodeStep {
  readonly updates: JsonObject
  /** Routing flag: false when the node raised or chose its failure route. */
  readonly success: boolean
  readonly error: NodeError | undefined
  readonly execution: NodeExecution
}

/** Errors that stop the whole run instead of taking a failure route. */
export type RunAbort = InputRequired

/** How a graph ended, before success policies are applied. */
export interface EngineOutcome {
  readonly status: "completed" | "failed"
  /** The final state as nodes see it: data keys plus `errors` and `last_action_success`. */
  readonly state: JsonObject
  readonly executions: ReadonlyArray<NodeExecution>
  readonly error: RunError | undefined
}

/** What the engine offers a node while it runs (capabilities that need the engine's own context). */
export interface NodeHost {
  readonly runSubgraph: (plan: RunPlan, input: JsonObject) => Effect.Effect<EngineOutcome, RunAbort>
}

/**
 * A graph ready to run: the application decides what each node does and where it goes next;
 * the engine decides how steps are scheduled, joined and stored.
 */
export interface RunPlan {
  readonly graph: GraphSpec
  readonly maxSteps: number
  readonly executeNode: (node: NodeSpec, state: JsonObject, host: NodeHost) => Effect.Effect<NodeStep, RunAbort>
  /** Next nodes after `node`; an empty list ends the branch. Fails with a message when a routing function misbehaves. */
  readonly nextNodes: (node: NodeSpec, state: JsonObject, success: boolean) => Effect.Effect<ReadonlyArray<string>, RoutingFailure>
}

export interface RoutingFailure {
  readonly _tag: "RoutingFailure"
  readonly node: string
  readonly message: string
}

export class WorkflowEngine extends Context.Tag("agentmap/WorkflowEngine")<
  WorkflowEngine,
  {
    readonly run: (plan: RunPlan, threadId: string, input: JsonObject) => Effect.Effect<EngineOutcome, RunAbort>
  }
>() {}
