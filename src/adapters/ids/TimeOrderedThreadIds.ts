import { Effect, Layer } from "effect"
import { v7 } from "uuid"
import { ThreadIds } from "../../ports/ThreadIds.js"

/**
 * Thread ids are UUIDv7: a millisecond timestamp, then 74 random bits (as unguessable as a
 * thread id needs to be; a thread is readable only by its principal anyway). Being in creation
 * order, a new thread's rows in the stores (threads, checkpoints, writes: all keyed by thread
 * first) go at the end of their B-trees, in pages a recent run just touched, instead of into a
 * random page of a large table: fewer pages read, dirtied and written per commit.
 */
export const next = (): string => v7()

export const layer = Layer.succeed(ThreadIds, ThreadIds.of({ next: Effect.sync(next) }))
