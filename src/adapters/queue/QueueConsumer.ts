import { Effect, Layer } from "effect"
import { RunExecutor, RunQueue } from "../../ports/RunQueue.js"

/** Consumes background runs for as long as the layer lives (`serve`): `concurrency` jobs at a time, each executed by RunExecutor. */
export const layer = (concurrency: number) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const queue = yield* RunQueue
      const executor = yield* RunExecutor
      yield* queue.consume(executor.execute, concurrency)
    })
  )
