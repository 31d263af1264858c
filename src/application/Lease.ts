import { Clock, Duration, Effect, Schedule } from "effect"
import type { ThreadRegistry } from "../ports/ThreadRegistry.js"

/**
 * Runs `work` while renewing the thread's lease, so other processes see the thread as busy;
 * if this process dies, the lease runs out and the thread becomes resumable.
 */
export const withLease = <A, E, R>(
  registry: ThreadRegistry["Type"],
  threadId: string,
  owner: string,
  leaseMillis: number,
  work: Effect.Effect<A, E, R>
) =>
  Effect.gen(function* () {
    const renew = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const held = yield* registry.renew(threadId, owner, now + leaseMillis)
      if (!held) yield* Effect.logWarning(`thread ${threadId}: lost its lease to another process`)
    }).pipe(Effect.catchAll((e) => Effect.logWarning(`thread ${threadId}: cannot renew its lease: ${e.message}`)))
    return yield* Effect.scoped(
      Effect.gen(function* () {
        yield* Effect.forkScoped(Effect.repeat(renew, Schedule.spaced(Duration.millis(Math.max(50, Math.floor(leaseMillis / 3))))).pipe(Effect.delay(Duration.millis(Math.floor(leaseMillis / 3)))))
        return yield* work
      })
    )
  })
