import { Clock, Context, Duration, Effect, Layer, Schedule } from "effect"
import { Settings } from "../ports/Settings.js"
import { ThreadIds } from "../ports/ThreadIds.js"
import { ThreadRegistry } from "../ports/ThreadRegistry.js"

/**
 * This process's leases. Every thread a process runs is leased to one owner id; a single
 * background loop renews them all (one UPDATE per period, none while idle), so other processes
 * see them as busy, and if this process dies its threads become resumable when the leases run out.
 */
export class LeaseKeeper extends Context.Tag("agentmap/LeaseKeeper")<
  LeaseKeeper,
  {
    readonly owner: string
    /** Runs `work` counted as a leased run (keeps the renewal loop going while it runs). */
    readonly hold: <A, E, R>(work: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  }
>() {}

export const layer = Layer.scoped(
  LeaseKeeper,
  Effect.gen(function* () {
    const registry = yield* ThreadRegistry
    const settings = yield* Settings
    const owner = yield* (yield* ThreadIds).next
    let active = 0
    const renew = Effect.gen(function* () {
      if (active === 0) return
      const now = yield* Clock.currentTimeMillis
      yield* registry.renew(owner, now + settings.leaseMillis)
    }).pipe(Effect.catchAll((e) => Effect.logWarning(`cannot renew leases: ${e.message}`)))
    const period = Duration.millis(Math.max(50, Math.floor(settings.leaseMillis / 3)))
    yield* Effect.forkScoped(Effect.repeat(Effect.delay(renew, period), Schedule.spaced(period)))
    return {
      owner,
      hold: (work) =>
        Effect.acquireUseRelease(
          Effect.sync(() => void active++),
          () => work,
          () => Effect.sync(() => void active--)
        )
    }
  })
)
