import { Effect, Metric, Option } from "effect"
import * as Metrics from "../../application/Metrics.js"
import { RunQueue } from "../../ports/RunQueue.js"
import type { ThreadRegistry } from "../../ports/ThreadRegistry.js"
import { refreshProcessGauges } from "./ProcessMetrics.js"
import { toPrometheusText } from "./PrometheusText.js"

/**
 * Sets the gauges read from the stores: pending interrupts, the suspended threads in the thread
 * store (which other processes share). A store that cannot answer leaves the gauge at its last
 * value rather than failing the scrape. An OTLP exporter should run this before each export too.
 */
export const refreshGauges = (registry: ThreadRegistry["Type"]) =>
  registry.list({ status: "suspended" }).pipe(
    Effect.flatMap((suspended) => Metrics.observe(Metrics.pendingInterrupts, {}, suspended.length)),
    Effect.catchAll((e) => Effect.logWarning(`metrics: pending interrupts not refreshed: ${e.message}`)),
    Effect.zipRight(refreshQueueGauges)
  )

/** The queue's depth, in-flight runs and oldest wait (the RunQueue of the context, when there is one). */
export const refreshQueueGauges = Effect.serviceOption(RunQueue).pipe(
  Effect.flatMap(Option.match({ onNone: () => Effect.succeed(undefined), onSome: (queue) => queue.stats })),
  Effect.flatMap((stats) =>
    stats === undefined
      ? Effect.void
      : Effect.all(
          [
            Metrics.observe(Metrics.queuePending, {}, stats.pending),
            Metrics.observe(Metrics.queueInFlight, {}, stats.in_flight),
            Metrics.observe(Metrics.queueOldestWait, {}, stats.oldest_wait_ms / 1000)
          ],
          { discard: true }
        )
  ),
  Effect.catchAll((e) => Effect.logWarning(`metrics: queue gauges not refreshed: ${e.message}`))
)

/** Metrics without labels enter the registry when first updated: shown from the first scrape at 0 instead. */
const touchUnlabelled = Effect.all([Metrics.count(Metrics.cacheHits, {}, 0), Metrics.count(Metrics.cacheMisses, {}, 0)], { discard: true })

/** The Prometheus exposition of every metric this process holds, its read-when-scraped gauges refreshed first. */
export const prometheusText = (registry: ThreadRegistry["Type"]) =>
  Effect.all([touchUnlabelled, refreshGauges(registry), refreshProcessGauges], { discard: true }).pipe(Effect.zipRight(Effect.map(Metric.snapshot, toPrometheusText)))
