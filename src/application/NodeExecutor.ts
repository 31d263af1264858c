import { Clock, DateTime, Effect, Either } from "effect"
import type { JsonObject } from "../domain/Json.js"
import type { NodeSpec } from "../domain/Workflow.js"
import type { NodeHost, NodeStep, RoutingFailure, RunAbort, RunPlan } from "../ports/WorkflowEngine.js"
import { AgentFailure, type Agent, type AgentCall } from "./agents/Agent.js"
import { readInputs, writeOutputs } from "./Outputs.js"

/** A node with everything resolved before the run starts: its agent, prompt text, routing and subgraph. */
export interface PreparedNode {
  readonly spec: NodeSpec
  readonly agent: Agent
  readonly prompt: string
  readonly subgraph: ((state: JsonObject) => Effect.Effect<RunPlan, AgentFailure>) | undefined
  readonly route: (state: JsonObject, success: boolean) => Effect.Effect<ReadonlyArray<string>, RoutingFailure>
}

const noSubgraph = (node: NodeSpec) => () =>
  Effect.fail(new AgentFailure({ type: "NoSubgraph", message: `node '${node.name}' is not a graph node` }))

const defectMessage = (defect: unknown): string => (defect instanceof Error ? defect.message : String(defect))

/**
 * Runs one node: reads its inputs, calls its agent, maps the value onto its outputs and records
 * the execution. A raising agent writes no outputs; its error goes to `error` and `errors`.
 */
export const executeNode = (prepared: PreparedNode, state: JsonObject, host: NodeHost): Effect.Effect<NodeStep, RunAbort> =>
  Effect.gen(function* () {
    const spec = prepared.spec
    const startedAt = DateTime.formatIso(yield* DateTime.now)
    const t0 = yield* Clock.currentTimeNanos
    const call: AgentCall = {
      node: spec,
      inputs: readInputs(spec.inputs, state),
      prompt: prepared.prompt,
      state,
      runSubgraph: (input) =>
        (prepared.subgraph ?? noSubgraph(spec))(state).pipe(Effect.flatMap((plan) => host.runSubgraph(plan, input)))
    }
    const outcome = yield* prepared.agent(call).pipe(
      Effect.catchAllDefect((defect) => Effect.fail(new AgentFailure({ type: "AgentCrashed", message: defectMessage(defect) }))),
      Effect.flatMap((o) =>
        Either.match(writeOutputs(spec.outputs, o.value), {
          onLeft: (message) => Effect.fail(new AgentFailure({ type: "OutputMismatch", message })),
          onRight: (updates) => Effect.succeed({ updates, success: o.success })
        })
      ),
      Effect.either
    )
    const durationMs = Number((yield* Clock.currentTimeNanos) - t0) / 1e6
    const base = { node: spec.name, agent_type: spec.declaredType, started_at: startedAt, duration_ms: Math.round(durationMs * 1000) / 1000 }
    if (Either.isRight(outcome)) {
      return { updates: outcome.right.updates, success: outcome.right.success, error: undefined, execution: { ...base, success: true } }
    }
    const failure = outcome.left
    if (failure._tag !== "AgentFailure") return yield* Effect.fail(failure)
    const message = `${spec.name}: ${failure.message}`
    yield* Effect.logWarning(message).pipe(Effect.annotateLogs({ node: spec.name }))
    return {
      updates: { error: failure.message },
      success: false,
      error: { node: spec.name, type: failure.type ?? "AgentError", message: failure.message },
      execution: { ...base, success: false, error: failure.message }
    }
  })
