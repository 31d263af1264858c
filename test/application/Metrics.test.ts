import { Effect, Exit, Fiber, Metric, MetricLabel } from "effect"
import { describe, expect, it } from "vitest"
import * as Metrics from "../../src/application/Metrics.js"

const runsOf = (graph: string, status: string) =>
  Effect.runSync(Metric.value(Metric.taggedWithLabels(Metrics.runs, [MetricLabel.make("graph", graph), MetricLabel.make("status", status)]))).count
const activeOf = (graph: string) => Effect.runSync(Metric.value(Metric.taggedWithLabels(Metrics.activeRuns, [MetricLabel.make("graph", graph)]))).value

describe("a run leg's metrics", () => {
  it("is an active run while it runs; a leg without a result counts as error, or interrupted when stopped", async () => {
    const graph = `G${process.pid}`
    const seen = await Effect.runPromise(Metrics.whileActive(graph, Effect.sync(() => activeOf(graph))))
    expect([seen, activeOf(graph), runsOf(graph, "error")]).toEqual([1, 0, 0])

    expect(Exit.isFailure(await Effect.runPromiseExit(Metrics.whileActive(graph, Effect.fail("store down"))))).toBe(true)
    expect([activeOf(graph), runsOf(graph, "error")]).toEqual([0, 1])

    const fiber = Effect.runFork(Metrics.whileActive(graph, Effect.never))
    await Effect.runPromise(Effect.yieldNow())
    expect(activeOf(graph)).toBe(1)
    await Effect.runPromise(Fiber.interrupt(fiber))
    expect([activeOf(graph), runsOf(graph, "interrupted"), runsOf(graph, "error")]).toEqual([0, 1, 1])
  })

  it("counts how a leg ended, its duration, and the node a suspension waits at", () => {
    const graph = `S${process.pid}`
    Effect.runSync(Metrics.runEnded(graph, "suspended", 0.2, "Ask"))
    Effect.runSync(Metrics.runEnded(graph, "completed", 0.3, undefined))
    expect([runsOf(graph, "suspended"), runsOf(graph, "completed")]).toEqual([1, 1])
    const duration = Effect.runSync(Metric.value(Metric.taggedWithLabels(Metrics.runDuration, [MetricLabel.make("graph", graph)])))
    expect([duration.count, Math.round(duration.sum * 10) / 10]).toEqual([2, 0.5])
    const suspensions = Effect.runSync(Metric.value(Metric.taggedWithLabels(Metrics.suspensions, [MetricLabel.make("graph", graph), MetricLabel.make("node", "Ask")])))
    expect(suspensions.count).toBe(1)
  })
})
