import { Clock, Effect, Either } from "effect"
import type { JsonObject } from "../domain/Json.js"
import type { NodeSpec } from "../domain/Workflow.js"
import type { NodeHost, NodeStep, NodeTask, RoutingFailure, RunAbort, RunPlan } from "../ports/WorkflowEngine.js"
import { AgentFailure, type Agent, type AgentCall, type ChildRun, type NodeTools } from "./agents/Agent.js"
import * as Metrics from "./Metrics.js"
import { readInputs, writeOutputs } from "./Outputs.js"
import { nodeSpanName } from "./RunTracing.js"

/** A node with everything resolved before the run starts: its agent, prompt text, routing and subgraph. */
export interface PreparedNode {
  readonly spec: NodeSpec
  readonly agent: Agent
  readonly prompt: string
  readonly subgraph: ((state: JsonObject) => Effect.Effect<RunPlan, AgentFailure>) | undefined
  /** Next nodes given the state after this node (built only when a routing function needs it) and its outcome. */
  readonly route: (state: () => JsonObject, success: boolean) => Effect.Effect<ReadonlyArray<string>, RoutingFailure>
  /** Every node of its graph. */
  readonly graphNodes: ReadonlyArray<NodeSpec>
  readonly graphName?: string
  /** Its tools (Tool_Source, Available_Tools), when it names any. */
  readonly tools?: NodeTools | undefined
}

const defectMessage = (defect: unknown): string => (defect instanceof Error ? defect.message : String(defect))

/** A subgraph runs in a thread named after its parent's thread, node and run number: stable across crashes and resumes. */
const childRun = (prepared: PreparedNode, state: JsonObject, task: NodeTask, host: NodeHost): ChildRun => {
  const threadId = `${task.threadId}/${prepared.spec.name}#${task.seq}`
  const plan = () =>
    prepared.subgraph === undefined
      ? Effect.fail(new AgentFailure({ type: "NoSubgraph", message: `node '${prepared.spec.name}' is not a graph node` }))
      : prepared.subgraph(state)
  return {
    threadId,
    run: (input) => plan().pipe(Effect.flatMap((p) => host.runSubgraph(p, threadId, input))),
    resume: (resume) => plan().pipe(Effect.flatMap((p) => host.resumeSubgraph(p, threadId, resume)))
  }
}

/**
 * Runs one node: reads its inputs, calls its agent, maps the value onto its outputs, decides
 * where to go next and records the execution. A raising agent writes no outputs; its error goes
 * to `error` and `errors` and the failure route is taken. A suspending agent ends the step
 * waiting for a resume.
 */
export const executeNode = (prepared: PreparedNode, state: JsonObject, task: NodeTask, host: NodeHost): Effect.Effect<NodeStep, RunAbort> =>
  Effect.gen(function* () {
    const spec = prepared.spec
    const startedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
    const t0 = yield* Clock.currentTimeNanos
    const call: AgentCall = {
      node: spec,
      inputs: readInputs(spec.inputs, state),
      prompt: prepared.prompt,
      state,
      resume: task.resume,
      child: childRun(prepared, state, task, host),
      graphNodes: prepared.graphNodes,
      emitToken: host.tokens === undefined ? undefined : (text) => host.tokens!({ node: spec.name, text }),
      emitCustom: host.custom === undefined ? undefined : (data) => host.custom!({ node: spec.name, data }),
      threadId: task.threadId,
      ...(prepared.graphName !== undefined ? { graphName: prepared.graphName } : {}),
      emitTool: host.tokens === undefined ? undefined : (tool) => host.tokens!({ node: spec.name, tool }),
      tools: prepared.tools
    }
    const outcome = yield* prepared.agent(call).pipe(
      Effect.catchAllDefect((defect) => Effect.fail(new AgentFailure({ type: "AgentCrashed", message: defectMessage(defect) }))),
      Effect.either
    )
    if (Either.isLeft(outcome) && outcome.left._tag !== "AgentFailure") return yield* Effect.fail(outcome.left)
    if (Either.isRight(outcome) && outcome.right._tag === "Suspend") {
      yield* Effect.annotateCurrentSpan({ "agentmap.suspended": true, "agentmap.interrupt.type": outcome.right.type })
      return { _tag: "Suspended", type: outcome.right.type, payload: outcome.right.payload, token: null } satisfies NodeStep
    }
    let failure: AgentFailure | undefined = Either.isLeft(outcome) && outcome.left._tag === "AgentFailure" ? outcome.left : undefined
    let updates: JsonObject = {}
    let success = false
    const finished = Either.isRight(outcome) && outcome.right._tag === "Done" ? outcome.right : undefined
    if (finished !== undefined) {
      const written = writeOutputs(spec.outputs, finished.value)
      if (Either.isLeft(written)) failure = new AgentFailure({ type: "OutputMismatch", message: written.left })
      else {
        updates = { ...finished.extra, ...written.right }
        success = finished.success
      }
    }
    const strangers = failure === undefined ? (finished?.next ?? []).filter((n) => !prepared.graphNodes.some((g) => g.name === n)) : []
    if (strangers.length > 0)
      failure = new AgentFailure({ type: "RoutingError", message: `node '${spec.name}' chose ${strangers.map((n) => `'${n}'`).join(", ")}, which is not a node of this graph` })
    const llm = failure?.llm ?? finished?.llm
    const tools = failure?.tools ?? finished?.tools
    if (failure !== undefined) {
      updates = { error: failure.message }
      success = false
    }
    const durationMs = Math.round((Number((yield* Clock.currentTimeNanos) - t0) / 1e6) * 1000) / 1000
    const base = { node: spec.name, agent_type: spec.declaredType, started_at: startedAt, duration_ms: durationMs, ...(llm !== undefined ? { llm } : {}), ...(tools !== undefined && tools.length > 0 ? { tools } : {}) }
    yield* Metrics.nodeEnded(prepared.graphName ?? "", spec.name, spec.declaredType, durationMs / 1000, failure === undefined)
    if (failure !== undefined) yield* Effect.logInfo(`${spec.name}: ${failure.message}`).pipe(Effect.annotateLogs({ node: spec.name }))
    const next =
      failure === undefined && finished?.next !== undefined
        ? finished.next
        : yield* prepared.route(() => ({ ...state, ...updates, last_action_success: success }), success)
    yield* Effect.annotateCurrentSpan({
      "agentmap.success": success,
      "agentmap.failure_next_taken": !success && next.length > 0,
      "agentmap.next": next.join(","),
      ...(failure !== undefined ? { "agentmap.error.type": failure.type ?? "AgentError" } : {}),
      ...(tools !== undefined && tools.length > 0 ? { "agentmap.tool_calls": tools.length } : {})
    })
    return {
      _tag: "Completed",
      updates,
      success,
      error: failure === undefined ? undefined : { node: spec.name, type: failure.type ?? "AgentError", message: failure.message },
      execution: failure === undefined ? { ...base, success: true } : { ...base, success: false, error: failure.message },
      next
    } satisfies NodeStep
  }).pipe(
    Effect.annotateLogs({ node: prepared.spec.name }),
    Effect.withSpan(nodeSpanName(prepared.spec.name), {
      kind: "internal",
      attributes: {
        "agentmap.node": prepared.spec.name,
        "agentmap.agent_type": prepared.spec.declaredType,
        "agentmap.thread_id": task.threadId,
        "agentmap.run_number": task.seq,
        ...(prepared.graphName !== undefined ? { "agentmap.graph": prepared.graphName } : {})
      }
    })
  )
