import type { ThreadRecord } from "../../domain/Thread.js"

/** How much a memory store keeps (persistence.memory). */
export interface MemoryLimits {
  /** Finished (completed or failed) threads kept; the oldest go first. */
  readonly maxFinishedThreads: number
  /** A finished thread goes this long after it finished. */
  readonly finishedTtlMillis: number
  /** All threads kept: past it, finished ones go, then the oldest suspended ones (they can no longer be resumed). */
  readonly maxThreads: number
}

export const DEFAULT_MEMORY_LIMITS: MemoryLimits = { maxFinishedThreads: 1000, finishedTtlMillis: 3_600_000, maxThreads: 10_000 }

/** Why a thread was let go: a suspended one is news the operator must see. */
export interface Eviction {
  readonly threadId: string
  readonly suspended: boolean
}

/**
 * Which threads a memory store lets go so it levels off in a long-lived process (a warm function
 * container, `serve` with the memory backend): finished ones by count and age, in the order they
 * finished; suspended ones only past the hard limit, oldest first; running ones never.
 */
export const retention = (limits: MemoryLimits, threads: Map<string, ThreadRecord>) => {
  // thread id → when it finished; a Map keeps insertion order, so the oldest is first
  const finished = new Map<string, number>()

  const expired = (now: number): Array<string> => {
    const out: Array<string> = []
    for (const [id, at] of finished) {
      if (finished.size - out.length <= limits.maxFinishedThreads && now - at <= limits.finishedTtlMillis) break
      out.push(id)
    }
    return out
  }

  const overLimit = (incoming: number): Array<Eviction> => {
    const out: Array<Eviction> = []
    let excess = threads.size + incoming - limits.maxThreads
    if (excess <= 0) return out
    for (const id of finished.keys()) {
      if (excess-- <= 0) return out
      out.push({ threadId: id, suspended: false })
    }
    // threads is in creation order: the oldest suspended first
    for (const [id, r] of threads) {
      if (excess <= 0) break
      if (r.status !== "suspended") continue
      out.push({ threadId: id, suspended: true })
      excess--
    }
    return out
  }

  return {
    /** A thread reached a status: finished ones join the queue, others leave it. */
    noted: (threadId: string, status: ThreadRecord["status"], now: number) => {
      finished.delete(threadId)
      if (status === "completed" || status === "failed") finished.set(threadId, now)
    },
    forget: (threadId: string) => void finished.delete(threadId),
    /** What to let go before `incoming` new threads are added. */
    evictions: (now: number, incoming: number): Array<Eviction> => {
      const aged = expired(now).map((threadId) => ({ threadId, suspended: false }))
      for (const e of aged) finished.delete(e.threadId)
      const pressed = overLimit(incoming - aged.length)
      for (const e of pressed) finished.delete(e.threadId)
      return [...aged, ...pressed]
    }
  }
}
