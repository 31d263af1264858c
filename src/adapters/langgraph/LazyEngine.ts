import { Effect, Layer } from "effect"
import { WorkflowEngine } from "../../ports/WorkflowEngine.js"

/**
 * The engine, loaded on first use: LangGraph and its dependencies are most of the bundle, and
 * commands that never run a graph (validate, init, list) should not pay for loading them.
 */
export const layer = Layer.effect(
  WorkflowEngine,
  Effect.gen(function* () {
    const context = yield* Effect.context<never>()
    const engine = Effect.promise(() => import("./LangGraphEngine.js")).pipe(
      Effect.flatMap((m) => m.make),
      Effect.provide(context),
      Effect.cached
    )
    const cached = yield* engine
    return WorkflowEngine.of({
      run: (plan, threadId, input) => cached.pipe(Effect.flatMap((e) => e.run(plan, threadId, input)))
    })
  })
)
