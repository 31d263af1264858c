/**
 * One provider's circuit: after `threshold` consecutive failed calls it opens and refuses calls
 * for `resetMillis`; then one trial call is let through (half-open): success closes it, failure
 * opens it again.
 */
export interface CircuitBreaker {
  /** Undefined when a call may go ahead, else the milliseconds until the next trial. */
  readonly refuse: (now: number) => number | undefined
  readonly succeeded: () => void
  readonly failed: (now: number) => void
  /** A call ended without an outcome (interrupted): a trial it held is given back. */
  readonly released: () => void
  /** For an operator: closed, open (refusing calls) or half_open (a trial call may go ahead), and the failures in a row. */
  readonly state: (now: number) => { readonly state: "closed" | "open" | "half_open"; readonly failures: number }
}

export const circuitBreaker = (threshold: number, resetMillis: number): CircuitBreaker => {
  let failures = 0
  let openUntil: number | undefined
  let trialInFlight = false
  return {
    refuse: (now) => {
      if (openUntil === undefined) return undefined
      if (now < openUntil || trialInFlight) return Math.max(0, openUntil - now)
      trialInFlight = true
      return undefined
    },
    succeeded: () => {
      failures = 0
      openUntil = undefined
      trialInFlight = false
    },
    failed: (now) => {
      failures += 1
      if (trialInFlight || failures >= threshold) openUntil = now + resetMillis
      trialInFlight = false
    },
    released: () => {
      trialInFlight = false
    },
    state: (now) => ({ state: openUntil === undefined ? "closed" : now < openUntil ? "open" : "half_open", failures })
  }
}
