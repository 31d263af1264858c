import { Effect, Stream } from "effect"

/** One event of a run's stream. */
export interface Frame {
  readonly event: string
  readonly data: unknown
}

interface Log {
  readonly frames: Array<Frame>
  ended: boolean
  readonly followers: Set<(frame: Frame | null) => void>
}

/** How many resumable streams a process keeps, and how long after their run ended. */
const MAX_RUNS = 1000
const KEEP_MILLIS = 10 * 60_000

/**
 * The events of runs streamed with `stream_resumable: true`, kept by this process so a client that
 * lost its connection rejoins with `Last-Event-ID` (`GET /threads/{id}/runs/{run_id}/stream`) and
 * misses nothing. Event ids are the events' positions in the run's stream.
 */
const logs = new Map<string, Log>()

export const open = (runId: string): Log => {
  const log: Log = { frames: [], ended: false, followers: new Set() }
  logs.set(runId, log)
  if (logs.size > MAX_RUNS) logs.delete(logs.keys().next().value!)
  return log
}

export const append = (log: Log, frame: Frame) => {
  log.frames.push(frame)
  for (const follower of log.followers) follower(frame)
}

export const end = (runId: string, log: Log) => {
  log.ended = true
  for (const follower of log.followers) follower(null)
  log.followers.clear()
  setTimeout(() => logs.get(runId) === log && logs.delete(runId), KEEP_MILLIS).unref()
}

/** The number of the last event kept of a run (-1 when none). */
export const last = (runId: string) => (logs.get(runId)?.frames.length ?? 0) - 1

/** A stream refused before it began keeps nothing. */
export const drop = (runId: string) => void logs.delete(runId)

/**
 * The run's events after the one numbered `after` (-1: from the first), then, while the run goes
 * on, each new one; undefined when this process keeps no stream of that run.
 */
export const follow = (runId: string, after: number): Stream.Stream<readonly [number, Frame]> | undefined => {
  const log = logs.get(runId)
  if (log === undefined) return undefined
  return Stream.async<readonly [number, Frame]>((emit) => {
    let next = Math.max(0, after + 1)
    for (; next < log.frames.length; next++) void emit.single([next, log.frames[next]!] as const)
    if (log.ended) {
      void emit.end()
      return Effect.void
    }
    const follower = (frame: Frame | null) => {
      if (frame === null) return void emit.end()
      void emit.single([next++, frame] as const)
    }
    log.followers.add(follower)
    return Effect.sync(() => log.followers.delete(follower))
  })
}
