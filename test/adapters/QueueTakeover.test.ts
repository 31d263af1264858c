import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type QueueWorld, openWorld, percentile, pickupLatencies, waitFor } from "../support/queueProcesses.js"

const submitBatch = (world: QueueWorld, label: string, n: number) =>
  Effect.runPromise(Effect.forEach(Array.from({ length: n }, (_, i) => `${label}-${i}`), (id) => world.queue.submit({ run_id: id, thread_id: id }), { discard: true }))

const countOf = async (world: QueueWorld) => (await world.done()).length

const bothWorking = async (world: QueueWorld, a: number, b: number) => {
  const done = await world.done()
  return done.some((r) => r.pid === a) && done.some((r) => r.pid === b)
}

describe.each(["postgres", "sqlite"] as const)("background runs over consumer processes on one %s queue", (backend) => {
  it("two consumers handle 100 jobs, each exactly once; an idle consumer picks a job up fast (p50 printed)", async () => {
    const world = await openWorld(backend)
    try {
      const a = await world.consumer(4, 10)
      const b = await world.consumer(4, 10)
      const latencies = await pickupLatencies(world, 20, "idle")
      console.log(`[${backend}] pickup latency on an idle consumer: p50 ${percentile(latencies, 50)} ms, max ${Math.max(...latencies)} ms (${latencies.length} jobs)`)
      await submitBatch(world, "batch", 100)
      await waitFor(async () => (await countOf(world)) >= 120, "120 jobs done", 60_000, world)
      await new Promise((r) => setTimeout(r, 500))
      const done = await world.done()
      expect(done.length).toBe(120)
      expect(new Set(done.map((r) => r.run_id)).size).toBe(120)
      expect(done.every((r) => r.attempt === 1)).toBe(true)
      expect(await world.dups()).toEqual([])
      const byA = done.filter((r) => r.pid === a.pid).length
      console.log(`[${backend}] 100 jobs: consumer A ran ${byA}, consumer B ${done.filter((r) => r.pid === b.pid).length} (of 120 with the latency probes)`)
      expect(done.every((r) => r.pid === a.pid || r.pid === b.pid)).toBe(true)
    } finally {
      await world.close()
    }
  }, 120_000)

  it("a consumer SIGKILLed mid-batch: its in-flight jobs are taken over (attempt 2) and every job completes exactly once", async () => {
    const world = await openWorld(backend)
    try {
      const victim = await world.consumer(4, 150)
      const survivor = await world.consumer(4, 150)
      // both take jobs before the batch: a cold consumer (a fresh checkout compiles on start) could
      // otherwise see the other finish the whole batch before it takes one
      for (let round = 0; !(await bothWorking(world, victim.pid!, survivor.pid!)); round++) {
        await submitBatch(world, `warm${round}`, 8)
        await waitFor(async () => (await world.done()).filter((r) => r.run_id.startsWith(`warm${round}-`)).length === 8, "the warm-up jobs", 60_000, world)
      }
      const killed = async () => (await world.done()).filter((r) => r.run_id.startsWith("kill-"))
      await submitBatch(world, "kill", 100)
      await waitFor(async () => {
        const done = await killed()
        return done.length >= 20 && done.some((r) => r.pid === victim.pid)
      }, "the victim to finish some jobs", 60_000, world)
      const killedAt = Date.now()
      victim.kill("SIGKILL")
      await waitFor(async () => (await killed()).length >= 100, "100 jobs done", 60_000, world)
      await new Promise((r) => setTimeout(r, 1500))
      const done = await killed()
      expect(done.length).toBe(100)
      expect(new Set(done.map((r) => r.run_id)).size).toBe(100)
      const takenOver = done.filter((r) => r.attempt >= 2)
      expect(takenOver.length).toBeGreaterThan(0)
      expect(takenOver.every((r) => r.pid === survivor.pid && r.attempt === 2)).toBe(true)
      // A job the victim finished in the instant before its queue row was marked done runs again and finds its run finished.
      const byRun = new Map(done.map((r) => [r.run_id, r]))
      for (const dup of (await world.dups()).filter((d) => d.run_id.startsWith("kill-"))) expect(byRun.get(dup.run_id)?.pid).toBe(victim.pid)
      const takeover = Math.min(...takenOver.map((r) => r.picked_at)) - killedAt
      console.log(`[${backend}] SIGKILL: ${takenOver.length} in-flight job(s) taken over with attempt 2, first ${takeover} ms after the kill`)
    } finally {
      await world.close()
    }
  }, 120_000)
})
