import { END, type LangGraphRunnableConfig, START, StateGraph } from "@langchain/langgraph"
import { type Effect, Exit, Runtime, Cause, Option } from "effect"
import { joinCandidates } from "../../domain/GraphAnalysis.js"
import { canFanOut, nextTargets } from "../../domain/Routing.js"
import type { NodeHost, RunPlan } from "../../ports/WorkflowEngine.js"
import { DATA, ERRORS, EXECUTIONS, FLAG, type GraphState, type GraphUpdate, State, view } from "./StateChannels.js"

/** Carries an error that must end the whole run (not just one node) out through LangGraph. */
export class AbortSignalError extends Error {
  constructor(readonly abort: unknown) {
    super("run aborted")
  }
}

/** A routing function misbehaved: the run fails with its message. */
export class RoutingError extends Error {}

type DynamicGraph = StateGraph<typeof State.spec, GraphState, GraphUpdate, string>

/** Runs an effect from inside LangGraph: failures become exceptions LangGraph propagates. */
export const runInside = async <A, E>(runtime: Runtime.Runtime<never>, effect: Effect.Effect<A, E>, wrap: (e: E) => Error): Promise<A> => {
  const exit = await Runtime.runPromiseExit(runtime)(effect)
  if (Exit.isSuccess(exit)) return exit.value
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) throw wrap(failure.value)
  throw Cause.squash(exit.cause)
}

/**
 * Nodes that several routes lead to wait for every branch in flight (LangGraph's deferred nodes),
 * so a fan-out joins exactly once even when its branches differ in length.
 */
const joinNodes = (plan: RunPlan): ReadonlySet<string> => {
  if (!plan.graph.nodes.some((n) => canFanOut(n.routing))) return new Set()
  return joinCandidates(plan.graph)
}

/** CSV graph → LangGraph StateGraph. `host` gives nodes the engine's capabilities (subgraphs) for their own config. */
export const compile = (
  plan: RunPlan,
  runtime: Runtime.Runtime<never>,
  host: (config: LangGraphRunnableConfig) => NodeHost
) => {
  const graph = new StateGraph(State) as unknown as DynamicGraph
  const joins = joinNodes(plan)
  for (const node of plan.graph.nodes) {
    graph.addNode(
      node.name,
      async (state: GraphState, config: LangGraphRunnableConfig): Promise<GraphUpdate> => {
        const step = await runInside(runtime, plan.executeNode(node, view(state), host(config)), (abort) => new AbortSignalError(abort))
        const stepNumber = typeof config.metadata?.["langgraph_step"] === "number" ? (config.metadata["langgraph_step"] as number) : 0
        return {
          [DATA]: step.updates,
          [ERRORS]: step.error === undefined ? [] : [step.error],
          [FLAG]: { step: stepNumber, ok: step.success },
          [EXECUTIONS]: [step.execution]
        }
      },
      joins.has(node.name) ? { defer: true } : undefined
    )
  }
  graph.addEdge(START, plan.graph.entry)
  for (const node of plan.graph.nodes) {
    const routing = node.routing
    switch (routing._tag) {
      // static edges where the CSV says so: conditional edges re-read the whole state on every step
      case "End":
        graph.addEdge(node.name, END)
        break
      case "Edge":
        for (const target of routing.targets) graph.addEdge(node.name, target)
        break
      case "Branch":
        graph.addConditionalEdges(node.name, (state: GraphState) => {
          const targets = nextTargets(routing, state[FLAG]?.ok ?? true)
          return targets.length === 0 ? [END] : [...targets]
        })
        break
      case "Function":
        graph.addConditionalEdges(node.name, async (state: GraphState) => {
          const targets = await runInside(runtime, plan.nextNodes(node, view(state), state[FLAG]?.ok ?? true), (f) => new RoutingError(f.message))
          return targets.length === 0 ? [END] : [...targets]
        })
    }
  }
  return graph.compile()
}
