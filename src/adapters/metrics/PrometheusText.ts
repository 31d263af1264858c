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
export const escapeLabelValue = (value: string) => (/[\\"\n]/.test(value) ? value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") : value)
/** HELP text: backslash and line feed escaped. */
export const escapeHelp = (text: string) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")

export const formatNumber = (value: number | bigint) =>
  typeof value === "bigint" ? value.toString() : Number.isNaN(value) ? "NaN" : value === Infinity ? "+Inf" : value === -Infinity ? "-Inf" : String(value)

type Labels = ReadonlyArray<readonly [string, string]>

/** The label pairs written once per series (`a="1",b="2"`), so a histogram's buckets only add their `le`. */
const labelText = (labels: Labels) => labels.map(([k, v]) => `${labelName(k)}="${escapeLabelValue(v)}"`).join(",")

/** One sample line: `inner` from labelText, `extra` one more pair already written (`le="0.5"`). */
const series = (name: string, inner: string, value: number | bigint, extra?: string) => {
  const all = extra === undefined ? inner : inner === "" ? extra : `${inner},${extra}`
  return `${name}${all === "" ? "" : `{${all}}`} ${formatNumber(value)}`
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
  const labels = labelText(key.tags.map((t) => [t.key, t.value] as const))
  const base = metricName(key.name)
  if (MetricState.isCounterState(state)) {
    const name = base.endsWith("_total") ? base : `${base}_total`
    return { base: name, kind: "counter", lines: [series(name, labels, state.count)] }
  }
  if (MetricState.isGaugeState(state)) return { base, kind: "gauge", lines: [series(base, labels, state.value)] }
  if (MetricState.isHistogramState(state)) {
    const bucket = `${base}_bucket`
    const buckets = state.buckets.filter(([le]) => le !== Infinity).map(([le, n]) => series(bucket, labels, n, `le="${formatNumber(le)}"`))
    return {
      base,
      kind: "histogram",
      lines: [...buckets, series(bucket, labels, state.count, 'le="+Inf"'), series(`${base}_sum`, labels, state.sum), series(`${base}_count`, labels, state.count)]
    }
  }
  if (MetricState.isFrequencyState(state)) {
    const name = base.endsWith("_total") ? base : `${base}_total`
    return { base: name, kind: "counter", lines: [...state.occurrences].map(([k, n]) => series(name, labels, n, `key="${escapeLabelValue(k)}"`)) }
  }
  if (MetricState.isSummaryState(state))
    return {
      base,
      kind: "summary",
      lines: [
        ...state.quantiles.flatMap(([q, v]) => (Option.isSome(v) ? [series(base, labels, v.value, `quantile="${formatNumber(q)}"`)] : [])),
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
    for (const line of got.lines) family.lines.push(line)
    families.set(got.base, family)
  }
  return [...families.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.kind}`, ...f.lines].join("\n"))
    .join("\n")
    .concat(families.size > 0 ? "\n" : "")
}
