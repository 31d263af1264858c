import { GraphRecursionError, type LangGraphRunnableConfig } from "@langchain/langgraph"
import { Effect, Layer, type Runtime } from "effect"
import type { JsonObject } from "../../domain/Json.js"
import { type EngineOutcome, type NodeHost, type RunAbort, type RunPlan, WorkflowEngine } from "../../ports/WorkflowEngine.js"
import { AbortSignalError, RoutingError, compile } from "./Compile.js"
import { DATA, EXECUTIONS, type GraphState, view } from "./StateChannels.js"

type Compiled = ReturnType<typeof compile>

const outcome = (state: GraphState | undefined, failure?: { tag: string; message: string }): EngineOutcome => ({
  status: failure === undefined ? "completed" : "failed",
  state: state === undefined ? {} : view(state),
  executions: state?.[EXECUTIONS] ?? [],
  error: failure
})

/** Runs CSV graphs on LangGraph. Each run streams full-state values so a failed run still reports how far it got. */
export const make = Effect.gen(function* () {
  const runtime: Runtime.Runtime<never> = yield* Effect.runtime<never>()
  const compiled = new WeakMap<RunPlan, Compiled>()

  const host = (config: LangGraphRunnableConfig): NodeHost => ({
    runSubgraph: (plan, input) => runGraph(plan, input, config)
  })

  const graphFor = (plan: RunPlan): Compiled => {
    let graph = compiled.get(plan)
    if (graph === undefined) {
      graph = compile(plan, runtime, host)
      compiled.set(plan, graph)
    }
    return graph
  }

  const runGraph = (plan: RunPlan, input: JsonObject, parent: LangGraphRunnableConfig | undefined): Effect.Effect<EngineOutcome, RunAbort> =>
    Effect.async<EngineOutcome, RunAbort>((resume, signal) => {
      let last: GraphState | undefined
      const graph = graphFor(plan)
      const run = async () => {
        const stream = await graph.stream({ [DATA]: input } as never, {
          ...(parent ?? {}),
          recursionLimit: plan.maxSteps,
          streamMode: "values",
          signal
        })
        for await (const values of stream) last = values as GraphState
      }
      run().then(
        () => resume(Effect.succeed(outcome(last))),
        (e: unknown) => {
          if (e instanceof AbortSignalError) return resume(Effect.fail(e.abort as RunAbort))
          if (e instanceof RoutingError) return resume(Effect.succeed(outcome(last, { tag: "RoutingError", message: e.message })))
          if (e instanceof GraphRecursionError)
            return resume(
              Effect.succeed(
                outcome(last, {
                  tag: "StepLimitExceeded",
                  message: `graph '${plan.graph.name}' did not finish within ${plan.maxSteps} steps; if it loops on purpose, raise execution.max_steps`
                })
              )
            )
          return resume(Effect.die(e))
        }
      )
    })

  return WorkflowEngine.of({ run: (plan, _threadId, input) => runGraph(plan, input, undefined) })
})

export const layer = Layer.effect(WorkflowEngine, make)
