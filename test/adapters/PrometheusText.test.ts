import { Effect, Metric, MetricBoundaries } from "effect"
import { describe, expect, it } from "vitest"
import { toPrometheusText } from "../../src/adapters/metrics/PrometheusText.js"
import { scrape } from "../support/prometheus.js"

/** The exposition of only the metrics whose name starts with `prefix` (the registry is the process's). */
const exposition = (prefix: string, record: Effect.Effect<void>) =>
  Effect.runSync(Effect.zipRight(record, Effect.map(Metric.snapshot, (pairs) => toPrometheusText(pairs.filter((p) => p.metricKey.name.startsWith(prefix))))))

describe("the Prometheus text exposition", () => {
  it("names counters with _total (once), makes names valid, and escapes help text and label values", () => {
    const tricky = 'C:\\dir\\"quoted"\nnext line'
    const text = exposition(
      "unit_names_",
      Effect.all([
        Metric.incrementBy(Metric.tagged(Metric.counter("unit_names_runs", { description: "Runs\\with a backslash\nand a line feed" }), "path", tricky), 3),
        Metric.increment(Metric.counter("unit_names_done_total")),
        Metric.set(Metric.gauge("unit_names_odd.name-here"), -2.5)
      ])
    )
    expect(text.split("\n")).toEqual([
      "# HELP unit_names_done_total unit_names_done_total",
      "# TYPE unit_names_done_total counter",
      "unit_names_done_total 1",
      "# HELP unit_names_odd_name_here unit_names_odd.name-here",
      "# TYPE unit_names_odd_name_here gauge",
      "unit_names_odd_name_here -2.5",
      "# HELP unit_names_runs_total Runs\\\\with a backslash\\nand a line feed",
      "# TYPE unit_names_runs_total counter",
      'unit_names_runs_total{path="C:\\\\dir\\\\\\"quoted\\"\\nnext line"} 3',
      ""
    ])
    // a real parser reads back what was meant
    const parsed = scrape(text)
    expect(parsed.family("unit_names_runs_total")).toEqual({
      name: "unit_names_runs_total",
      help: "Runs\\with a backslash\nand a line feed",
      type: "COUNTER",
      metrics: [{ value: "3", labels: { path: tricky } }]
    })
    expect(parsed.family("unit_names_odd_name_here")?.type).toBe("GAUGE")
  })

  it("writes a histogram as cumulative buckets ending at +Inf, with _sum and _count, per label set", () => {
    const h = Metric.histogram("unit_hist_seconds", MetricBoundaries.fromIterable([0.1, 1, 10]), "A histogram")
    const text = exposition(
      "unit_hist_",
      Effect.forEach(
        [
          ["a", 0.05],
          ["a", 0.5],
          ["a", 0.7],
          ["a", 20],
          ["b", 2]
        ] as const,
        ([g, v]) => Metric.update(Metric.tagged(h, "graph", g), v),
        { discard: true }
      )
    )
    expect(text).toContain('unit_hist_seconds_bucket{graph="a",le="0.1"} 1\nunit_hist_seconds_bucket{graph="a",le="1"} 3\nunit_hist_seconds_bucket{graph="a",le="10"} 3\nunit_hist_seconds_bucket{graph="a",le="+Inf"} 4\nunit_hist_seconds_sum{graph="a"} 21.25\nunit_hist_seconds_count{graph="a"} 4')
    const parsed = scrape(text)
    expect(parsed.family("unit_hist_seconds")?.type).toBe("HISTOGRAM")
    expect(parsed.histogram("unit_hist_seconds")).toEqual([
      { labels: { graph: "a" }, count: 4, buckets: [[0.1, 1], [1, 3], [10, 3], [Infinity, 4]] },
      { labels: { graph: "b" }, count: 1, buckets: [[0.1, 0], [1, 0], [10, 1], [Infinity, 1]] }
    ])
    expect(parsed.sum("unit_hist_seconds_sum", { graph: "b" })).toBe(2)
  })

  it("is empty when nothing was recorded", () => {
    expect(toPrometheusText([])).toBe("")
  })
})
