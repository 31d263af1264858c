import { randomUUID } from "node:crypto"
import { Effect, Layer } from "effect"
import { ThreadIds } from "../../ports/ThreadIds.js"

export const layer = Layer.succeed(ThreadIds, ThreadIds.of({ next: Effect.sync(() => randomUUID()) }))
