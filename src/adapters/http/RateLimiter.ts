/**
 * Fixed one-minute windows per key (an API key, a JWT subject or a client address). In memory:
 * each server process (and each `--workers` process) counts its own requests.
 */
export const makeRateLimiter = (perMinute: number) => {
  const windows = new Map<string, { start: number; count: number }>()
  let sweptAt = 0
  /** Seconds until the caller may try again, or 0 when the request is allowed. */
  return (key: string, now: number): number => {
    if (perMinute <= 0) return 0
    if (now - sweptAt > 60_000) {
      for (const [k, w] of windows) if (now - w.start >= 60_000) windows.delete(k)
      sweptAt = now
    }
    const w = windows.get(key)
    if (w === undefined || now - w.start >= 60_000) {
      windows.set(key, { start: now, count: 1 })
      return 0
    }
    if (w.count < perMinute) {
      w.count++
      return 0
    }
    return Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000))
  }
}
