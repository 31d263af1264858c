import parsePrometheusTextFormat, { type Family, type Sample } from "parse-prometheus-text-format"

type Labels = Readonly<Record<string, string>>

/**
 * A scrape parsed by parse-prometheus-text-format (a real parser of the text format, not a regex).
 * Its 1.1.1 merges the series of a labelled histogram into one sample (flattenMetrics drops their
 * labels), so histograms are read from a second parse of the same text without their `# TYPE`
 * lines: there `_bucket`, `_sum` and `_count` come back as plain series with every label.
 */
export const scrape = (text: string) => {
  const families = parsePrometheusTextFormat(text)
  const untyped = parsePrometheusTextFormat(text.split("\n").filter((line) => !/^# TYPE \S+ histogram$/.test(line)).join("\n"))
  const family = (name: string): Family | undefined => families.find((f) => f.name === name)
  const matches = (sample: Sample, labels: Labels) => Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v)
  /** Every sample named `name` (a family or a histogram's `_bucket`/`_sum`/`_count`) whose labels include `labels`. */
  const samples = (name: string, labels: Labels = {}) => untyped.filter((f) => f.name === name).flatMap((f) => f.metrics).filter((s) => matches(s, labels))
  /** The sum of the values of `name` over the samples matching `labels` (0 when none). */
  const sum = (name: string, labels: Labels = {}) => samples(name, labels).reduce((n, s) => n + Number(s.value), 0)
  /** The sum of a histogram's `_count` over the series matching `labels`. */
  const count = (name: string, labels: Labels = {}) => sum(`${name}_count`, labels)
  /** A histogram's series: for each label set, its buckets by upper bound (ascending, +Inf last) and its count. */
  const histogram = (name: string) => {
    const key = (labels: Labels | undefined) => JSON.stringify(Object.entries(labels ?? {}).filter(([k]) => k !== "le").sort())
    return samples(`${name}_count`).map((c) => ({
      labels: c.labels ?? {},
      count: Number(c.value),
      buckets: samples(`${name}_bucket`)
        .filter((b) => key(b.labels) === key(c.labels))
        .map((b) => [b.labels?.["le"] === "+Inf" ? Infinity : Number(b.labels?.["le"]), Number(b.value)] as const)
        .sort((a, b) => a[0] - b[0])
    }))
  }
  return { families, family, samples, sum, count, histogram }
}
