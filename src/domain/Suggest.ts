/** "Did you mean" for near-miss names: the closest candidate within a distance that scales with length. */
export const levenshtein = (a: string, b: string): number => {
  if (a === b) return 0
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return prev[b.length]!
}

export const closest = (name: string, candidates: Iterable<string>): string | undefined => {
  const lower = name.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(name.length, 3) / 3))
  return best !== undefined && bestDistance <= allowed ? best : undefined
}

export const didYouMean = (name: string, candidates: Iterable<string>): string => {
  const hit = closest(name, candidates)
  return hit === undefined ? "" : ` (did you mean '${hit}'?)`
}
