import type { ThreadRecord } from "./Thread.js"

/**
 * What a run asked for under a thread id that is already taken does with that thread. A caller
 * that retries (an HTTP or serverless client whose first attempt died with its process) asks
 * again for the same run: same workflow version, graph, state and principal. If the first attempt
 * is interrupted (running, lease expired), the retry takes the thread over and finishes it; if it
 * still runs, the thread is busy; anything else is a taken id, with what to do instead.
 */
export type Takeover =
  | { readonly _tag: "TakeOver" }
  | { readonly _tag: "Busy"; readonly message: string }
  | { readonly _tag: "Taken"; readonly message: string }

export const decideTakeover = (existing: ThreadRecord, wanted: ThreadRecord, now: number): Takeover => {
  const id = existing.thread_id
  const taken = (message: string): Takeover => ({ _tag: "Taken", message })
  if (existing.principal !== wanted.principal || existing.workflow !== wanted.workflow || existing.graph !== wanted.graph || !jsonEquals(existing.input, wanted.input))
    return taken(`thread id '${id}' is already taken by another run (another workflow, graph or state); choose another id or leave it out`)
  if (existing.csv_hash !== wanted.csv_hash)
    return taken(`thread '${id}' started from another version of ${existing.workflow} (the CSV changed since); resume it to finish the version it started with, or choose another thread id`)
  switch (existing.status) {
    case "running":
      return (existing.lease_expires_at ?? 0) > now
        ? { _tag: "Busy", message: `thread '${id}' is running this workflow in another process (an earlier run with this id); wait for it, or, if that process died, try again once its lease has run out` }
        : { _tag: "TakeOver" }
    case "suspended":
      return taken(`thread '${id}' already ran this workflow and waits at node '${existing.interrupt?.node ?? "?"}'; resume it to go on`)
    default:
      return taken(`thread '${id}' already ran this workflow and ${existing.status}; its result stays with the thread (agentmap threads show ${id}, GET /threads/${id})`)
  }
}

/** Equality of JSON values as stored: whatever the order of object keys, an undefined value as no key. */
export const jsonEquals = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false
  const va = a as Record<string, unknown>
  const vb = b as Record<string, unknown>
  const ka = Object.keys(va).filter((k) => va[k] !== undefined)
  const kb = Object.keys(vb).filter((k) => vb[k] !== undefined)
  return ka.length === kb.length && ka.every((k) => jsonEquals(va[k], vb[k]))
}
