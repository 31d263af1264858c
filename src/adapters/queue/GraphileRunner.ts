import { EventEmitter } from "node:events"
import type { Runner } from "graphile-worker"

export interface KeepRunningOptions {
  /** Starts one graphile-worker pool whose events go to `events`. */
  readonly start: (events: EventEmitter) => Promise<Runner>
  /** Runs before a restart; fails when this version of graphile-worker must not run on the schema any more. */
  readonly check: () => Promise<void>
  /** A worker of a pool was created (say it is alive). */
  readonly created: (workerId: string) => void
  /** Every worker of a pool has stopped (they hold no job any more). */
  readonly retired: (workerIds: ReadonlyArray<string>) => Promise<void>
  readonly say: (message: string) => void
}

export interface KeptRunner {
  /** Stops the pool running now; no restart follows. */
  readonly stop: () => Promise<void>
}

/**
 * Keeps a graphile-worker pool running. graphile-worker 0.16 shuts down every pool of a *database*
 * when a migration flagged breaking is announced on its database-wide `worker:migrate` channel —
 * which happens whenever any schema of that database is installed fresh (another AgentMap
 * deployment or test beside ours, `postgres_schema` apart) — and sets `process.exitCode = 57`.
 * A pool that stops without our asking is restarted a second later (its jobs in flight finish in the old
 * pool, whose worker ids are retired once it is done) after `check`, which fails only when our own
 * schema moved past this version: then it stays stopped and says why.
 */
export const keepRunning = async (options: KeepRunningOptions): Promise<KeptRunner> => {
  const exitCode = process.exitCode
  let stopping = false
  let current: Runner | undefined
  let generations = 0
  let wake = () => {}
  const sleep = (millis: number) =>
    new Promise<void>((resolve) => {
      wake = resolve
      setTimeout(resolve, millis).unref()
    })

  const launch = async (): Promise<Runner> => {
    const events = new EventEmitter()
    const workerIds: Array<string> = []
    events.on("worker:create", ({ worker }: { worker: { workerId: string } }) => {
      workerIds.push(worker.workerId)
      options.created(worker.workerId)
    })
    // only the newest pool's stop calls for another (an older one may still be winding down)
    const generation = ++generations
    const stoppedUnasked = () => {
      if (!stopping && generation === generations) restart()
    }
    events.on("pool:gracefulShutdown", stoppedUnasked)
    events.on("pool:forcefulShutdown", stoppedUnasked)
    const runner = await options.start(events)
    // stopped while it started: it must not outlive the stop
    if (stopping) await runner.stop().catch(() => undefined)
    // on our own stop the lock connection closes anyway: nothing to retire
    const retire = () => (stopping ? Promise.resolve() : options.retired(workerIds).catch((e: unknown) => options.say(`cannot retire the stopped workers: ${String(e)}`)))
    void runner.promise.then(retire, retire)
    current = runner
    return runner
  }

  /** Starts a new pool once the burst is through, after `check` (retried with back-off while it cannot reach the database). */
  const relaunch = async () => {
    await sleep(1000)
    for (let wait = 500; !stopping; wait = Math.min(wait * 2, 30_000)) {
      try {
        await options.check()
        if (!stopping) await launch()
        return
      } catch (e) {
        if (String(e).includes("breaking migration")) {
          process.exitCode = 57
          options.say(`the queue's schema needs a newer graphile-worker; this process no longer consumes: ${String(e)}`)
          stopping = true
          return
        }
        options.say(`cannot restart yet (${String(e)}); retrying in ${wait} ms`)
        await sleep(wait)
      }
    }
  }

  let restarting: Promise<void> | undefined
  /** A stop came in while a restart ran (the pool it started stopped too): go round once more. */
  let again = false
  const restart = () => {
    again = true
    if (process.exitCode === 57) process.exitCode = exitCode
    restarting ??= (async () => {
      options.say("graphile-worker stopped its workers (a migration was announced on this database's worker:migrate channel, maybe another schema's); restarting them")
      // an install announces its migrations one after the other: start again once they are through
      while (again && !stopping) {
        again = false
        await relaunch()
      }
    })().finally(() => (restarting = undefined))
  }

  await launch()
  return {
    stop: async () => {
      stopping = true
      wake()
      await restarting
      await current?.stop().catch(() => undefined)
    }
  }
}
