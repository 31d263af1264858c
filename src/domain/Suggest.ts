/** Edit distance with adjacent transpositions counted as one edit (optimal string alignment). */
export const editDistance = (a: string, b: string): number => {
  if (a === b) return 0
  const rows = a.length + 1
  const cols = b.length + 1
  const d: Array<Array<number>> = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length]!
}

/** "Did you mean" for near-miss names: the closest candidate within a distance that scales with length. */
export const closest = (name: string, candidates: Iterable<string>): string | undefined => {
  const lower = name.toLowerCase()
  const allowed = Math.max(1, Math.floor(Math.max(name.length, 3) / 3))
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - name.length) > allowed) continue
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best !== undefined && bestDistance <= allowed ? best : undefined
}

export const didYouMean = (name: string, candidates: Iterable<string>): string => {
  const hit = closest(name, candidates)
  return hit === undefined ? "" : ` (did you mean '${hit}'?)`
}
