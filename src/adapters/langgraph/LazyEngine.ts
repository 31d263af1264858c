import { Effect, Layer } from "effect"
import { WorkflowEngine } from "../../ports/WorkflowEngine.js"
import { LangGraphSaver } from "../persistence/LangGraphSaver.js"

/**
 * The engine, loaded on first use: LangGraph and its dependencies are most of the bundle, and
 * commands that never run a graph (validate, init, threads) should not pay for loading them.
 */
export const layer = Layer.effect(
  WorkflowEngine,
  Effect.gen(function* () {
    const context = yield* Effect.context<LangGraphSaver>()
    const engine = yield* Effect.cached(
      Effect.promise(() => import("./LangGraphEngine.js")).pipe(
        Effect.flatMap((m) => m.make),
        Effect.provide(context)
      )
    )
    return WorkflowEngine.of({
      run: (plan, threadId, input, options) => Effect.flatMap(engine, (e) => e.run(plan, threadId, input, options)),
      resume: (plan, threadId, answer, options) => Effect.flatMap(engine, (e) => e.resume(plan, threadId, answer, options)),
      recover: (plan, threadId, input, options) => Effect.flatMap(engine, (e) => e.recover(plan, threadId, input, options))
    })
  })
)
