import { MetricState, Option, type MetricPair } from "effect"

/**
 * The Prometheus text exposition format (version 0.0.4) of Effect's metric registry: one
 * `# HELP` and `# TYPE` per metric family, counters with `_total`, histograms as cumulative
 * `_bucket{le=...}` series ending at `+Inf` plus `_sum` and `_count`, frequencies as counters
 * by `key`, summaries with `quantile`. Names and label names are made valid, label values and
 * help text escaped as the format asks.
 */
export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

type Kind = "counter" | "gauge" | "histogram" | "summary"

/** A metric or label name the format accepts: invalid characters become `_`, a leading digit gets a `_` before it. */
export const metricName = (name: string) => {
  const cleaned = name.replace(/[^a-zA-Z0-9_:]/g, "_")
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned
}
export const labelName = (name: string) => {
  const cleaned = name.replace(/[^a-zA-Z0-9_]/g, "_")
  return /^[0-9]/.test(cleaned) || cleaned.startsWith("__") ? `_${cleaned.replace(/^_+/, "")}` : cleaned
}

/** A label value: backslash, double quote and line feed escaped. */
export const escapeLabelValue = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
/** HELP text: backslash and line feed escaped. */
export const escapeHelp = (text: string) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")

export const formatNumber = (value: number | bigint) =>
  typeof value === "bigint" ? value.toString() : Number.isNaN(value) ? "NaN" : value === Infinity ? "+Inf" : value === -Infinity ? "-Inf" : String(value)

type Labels = ReadonlyArray<readonly [string, string]>

const series = (name: string, labels: Labels, value: number | bigint) => {
  const inner = labels.map(([k, v]) => `${labelName(k)}="${escapeLabelValue(v)}"`).join(",")
  return `${name}${inner === "" ? "" : `{${inner}}`} ${formatNumber(value)}`
}

interface Family {
  readonly name: string
  readonly kind: Kind
  readonly help: string
  readonly lines: Array<string>
}

/** The family name and kind of one pair, and its sample lines. */
const samples = (pair: MetricPair.MetricPair.Untyped): { readonly base: string; readonly kind: Kind; readonly lines: ReadonlyArray<string> } | undefined => {
  const key = pair.metricKey
  const state: unknown = pair.metricState
  const labels: Labels = key.tags.map((t) => [t.key, t.value] as const)
  const base = metricName(key.name)
  if (MetricState.isCounterState(state)) {
    const name = base.endsWith("_total") ? base : `${base}_total`
    return { base: name, kind: "counter", lines: [series(name, labels, state.count)] }
  }
  if (MetricState.isGaugeState(state)) return { base, kind: "gauge", lines: [series(base, labels, state.value)] }
  if (MetricState.isHistogramState(state)) {
    const buckets = state.buckets.filter(([le]) => le !== Infinity).map(([le, n]) => series(`${base}_bucket`, [...labels, ["le", formatNumber(le)]], n))
    return {
      base,
      kind: "histogram",
      lines: [...buckets, series(`${base}_bucket`, [...labels, ["le", "+Inf"]], state.count), series(`${base}_sum`, labels, state.sum), series(`${base}_count`, labels, state.count)]
    }
  }
  if (MetricState.isFrequencyState(state)) {
    const name = base.endsWith("_total") ? base : `${base}_total`
    return { base: name, kind: "counter", lines: [...state.occurrences].map(([k, n]) => series(name, [...labels, ["key", k]], n)) }
  }
  if (MetricState.isSummaryState(state))
    return {
      base,
      kind: "summary",
      lines: [
        ...state.quantiles.flatMap(([q, v]) => (Option.isSome(v) ? [series(base, [...labels, ["quantile", formatNumber(q)]], v.value)] : [])),
        series(`${base}_sum`, labels, state.sum),
        series(`${base}_count`, labels, state.count)
      ]
    }
  return undefined
}

/** The exposition of `pairs` (Metric.snapshot), families sorted by name, so scrapes are stable. */
export const toPrometheusText = (pairs: ReadonlyArray<MetricPair.MetricPair.Untyped>): string => {
  const families = new Map<string, Family>()
  for (const pair of pairs) {
    const got = samples(pair)
    if (got === undefined) continue
    const family = families.get(got.base) ?? { name: got.base, kind: got.kind, help: pair.metricKey.description._tag === "Some" ? pair.metricKey.description.value : pair.metricKey.name, lines: [] }
    // one name, one type: a second metric of another kind under the same name is left out
    if (family.kind !== got.kind) continue
    family.lines.push(...got.lines)
    families.set(got.base, family)
  }
  return [...families.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.kind}`, ...f.lines].join("\n"))
    .join("\n")
    .concat(families.size > 0 ? "\n" : "")
}
