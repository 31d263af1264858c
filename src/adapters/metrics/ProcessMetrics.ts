import { Effect, Metric } from "effect"
import { packageVersion } from "../version/PackageVersion.js"

/**
 * The process gauges every Prometheus client exposes (the names prom-client and the Go client
 * use), read when scraped: what an operator graphs next to AgentMap's own metrics.
 */
const residentMemory = Metric.gauge("process_resident_memory_bytes", { description: "Resident memory size in bytes" })
const startTime = Metric.gauge("process_start_time_seconds", { description: "Start time of the process since the Unix epoch in seconds" })
const heapUsed = Metric.gauge("nodejs_heap_size_used_bytes", { description: "Process heap size used from Node.js in bytes" })
const heapTotal = Metric.gauge("nodejs_heap_size_total_bytes", { description: "Process heap size from Node.js in bytes" })
const buildInfo = Metric.gauge("agentmap_build_info", { description: "Always 1: the AgentMap and Node versions of this process, as labels" })

const started = Math.round((Date.now() - performance.now()) / 1000)

export const refreshProcessGauges = Effect.suspend(() => {
  const m = process.memoryUsage()
  return Effect.all(
    [
      Metric.set(residentMemory, m.rss),
      Metric.set(heapUsed, m.heapUsed),
      Metric.set(heapTotal, m.heapTotal),
      Metric.set(startTime, started),
      Metric.set(Metric.tagged(Metric.tagged(buildInfo, "version", packageVersion()), "node", process.version), 1)
    ],
    { discard: true }
  )
})
