/**
 * Group commit for one SQLite connection: writes issued while the event loop is busy are run
 * together in one transaction at the next turn (one WAL commit instead of one each), and each
 * caller's promise settles only after that commit. A statement that fails fails alone; a commit
 * that fails fails the whole group. Reads flush what is pending first, so they see every write
 * issued before them.
 */
export interface GroupCommit {
  readonly write: (run: () => number) => Promise<number>
  /** Runs pending writes now (before a read). */
  readonly flush: () => void
}

interface Pending {
  readonly run: () => number
  readonly resolve: (changes: number) => void
  readonly reject: (e: unknown) => void
}

export const groupCommit = (transaction: (work: () => void) => void): GroupCommit => {
  let pending: Array<Pending> = []
  let scheduled = false

  const flush = () => {
    scheduled = false
    if (pending.length === 0) return
    const batch = pending
    pending = []
    const outcomes: Array<{ readonly ok: true; readonly changes: number } | { readonly ok: false; readonly error: unknown }> = []
    try {
      transaction(() => {
        for (const w of batch) {
          try {
            outcomes.push({ ok: true, changes: w.run() })
          } catch (error) {
            outcomes.push({ ok: false, error })
          }
        }
      })
    } catch (error) {
      for (const w of batch) w.reject(error)
      return
    }
    batch.forEach((w, i) => {
      const o = outcomes[i]!
      if (o.ok) w.resolve(o.changes)
      else w.reject(o.error)
    })
  }

  return {
    write: (run) =>
      new Promise<number>((resolve, reject) => {
        pending.push({ run, resolve, reject })
        if (!scheduled) {
          scheduled = true
          setImmediate(flush)
        }
      }),
    flush
  }
}
