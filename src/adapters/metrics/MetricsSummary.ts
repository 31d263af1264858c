import { MetricState, type MetricPair } from "effect"
import { type Check, ok } from "../../domain/Diagnosis.js"

/** What `diagnose` on a server shows of its metrics: totals over every label (GET /metrics has them by label). */
export interface MetricsSummary {
  readonly runs: { readonly total: number; readonly completed: number; readonly failed: number; readonly suspended: number }
  readonly resumes: number
  readonly resume_conflicts: number
  readonly active_runs: number
  readonly pending_interrupts: number
  readonly nodes: { readonly executions: number; readonly failures: number }
  readonly llm: { readonly calls: number; readonly failed: number; readonly retries: number; readonly circuit_opens: number; readonly input_tokens: number; readonly output_tokens: number }
  readonly cache: { readonly hits: number; readonly misses: number; readonly hit_rate: number | null }
  readonly http: { readonly requests: number; readonly by_class: Readonly<Record<string, number>> }
}

type Pairs = ReadonlyArray<MetricPair.MetricPair.Untyped>

const tag = (pair: MetricPair.MetricPair.Untyped, key: string) => pair.metricKey.tags.find((t) => t.key === key)?.value

/** The sum over the series of `name` that `keep` accepts: a counter's count, a gauge's value, a histogram's count. */
const total = (pairs: Pairs, name: string, keep: (pair: MetricPair.MetricPair.Untyped) => boolean = () => true) =>
  pairs
    .filter((p) => p.metricKey.name === name && keep(p))
    .reduce((n, p) => {
      const s: unknown = p.metricState
      return n + (MetricState.isCounterState(s) ? Number(s.count) : MetricState.isGaugeState(s) ? Number(s.value) : MetricState.isHistogramState(s) ? s.count : 0)
    }, 0)

export const summarize = (pairs: Pairs): MetricsSummary => {
  const runs = (status: string) => total(pairs, "agentmap_runs", (p) => tag(p, "status") === status)
  const hits = total(pairs, "agentmap_compile_cache_hits")
  const misses = total(pairs, "agentmap_compile_cache_misses")
  const calls = total(pairs, "agentmap_llm_calls")
  const classes = new Map<string, number>()
  for (const p of pairs.filter((p) => p.metricKey.name === "agentmap_http_requests")) {
    const cls = `${(tag(p, "status") ?? "?").slice(0, 1)}xx`
    classes.set(cls, (classes.get(cls) ?? 0) + total([p], "agentmap_http_requests"))
  }
  return {
    runs: { total: total(pairs, "agentmap_runs"), completed: runs("completed"), failed: runs("failed"), suspended: runs("suspended") },
    resumes: total(pairs, "agentmap_resumes"),
    resume_conflicts: total(pairs, "agentmap_resume_conflicts"),
    active_runs: total(pairs, "agentmap_active_runs"),
    pending_interrupts: total(pairs, "agentmap_pending_interrupts"),
    nodes: { executions: total(pairs, "agentmap_node_duration_seconds"), failures: total(pairs, "agentmap_node_failures") },
    llm: {
      calls,
      failed: calls - total(pairs, "agentmap_llm_calls", (p) => tag(p, "outcome") === "success"),
      retries: total(pairs, "agentmap_llm_retries"),
      circuit_opens: total(pairs, "agentmap_llm_circuit_opens"),
      input_tokens: total(pairs, "agentmap_llm_tokens", (p) => tag(p, "type") === "input"),
      output_tokens: total(pairs, "agentmap_llm_tokens", (p) => tag(p, "type") === "output")
    },
    cache: { hits, misses, hit_rate: hits + misses === 0 ? null : Math.round((hits / (hits + misses)) * 1000) / 1000 },
    http: { requests: [...classes.values()].reduce((a, b) => a + b, 0), by_class: Object.fromEntries([...classes].sort()) }
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

/** The summary as checklist lines (section `metrics`, since this process started). */
export const summaryChecks = (s: MetricsSummary): ReadonlyArray<Check> => [
  ok("metrics", "runs", `${s.runs.total} (${s.runs.completed} completed, ${s.runs.failed} failed, ${s.runs.suspended} suspended); ${s.resumes} resumed, ${plural(s.resume_conflicts, "resume conflict")} (409)`),
  ok("metrics", "now", `${plural(s.active_runs, "active run")}, ${plural(s.pending_interrupts, "pending interrupt")}`),
  ok("metrics", "nodes", `${plural(s.nodes.executions, "execution")}, ${s.nodes.failures} failed`),
  ok("metrics", "llm", `${plural(s.llm.calls, "call")} (${s.llm.failed} failed), ${plural(s.llm.retries, "retry").replace("retrys", "retries")}, ${plural(s.llm.circuit_opens, "circuit open")}; ${s.llm.input_tokens} tokens in, ${s.llm.output_tokens} out`),
  ok("metrics", "cache", s.cache.hit_rate === null ? "no module loads yet" : `hit rate ${Math.round(s.cache.hit_rate * 100)}% (${s.cache.hits} hits, ${s.cache.misses} misses)`),
  ok("metrics", "http", `${plural(s.http.requests, "request")}${s.http.requests === 0 ? "" : ` (${Object.entries(s.http.by_class).map(([c, n]) => `${n} ${c}`).join(", ")})`}`)
]
