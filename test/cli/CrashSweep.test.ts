import { afterAll, describe, expect, it } from "vitest"
import { mapLimit } from "../../src/adapters/serverless/Delivery.js"
import { chainFiles, chainNodes } from "../support/chain.js"
import { agentmapAsync } from "../support/cli.js"
import { type KillAt, type Killed, type Stage, judgeLog, killRun, readLog, recover } from "../support/crashSweep.js"
import { dropSchema, freshSchema, postgresConfig } from "../support/postgres.js"
import { type StoreProbe, postgresProbe, sqliteProbe } from "../support/storeProbe.js"
import { workspace } from "../support/workspace.js"

/** Kills per backend: a handful in `npm test`; AGENTMAP_CRASH_KILLS=100 for a real sweep. */
const KILLS = Number(process.env["AGENTMAP_CRASH_KILLS"] ?? 8)
const NODES = 6
const LEASE_SECONDS = 1

/** How long an uninterrupted run took: from its process's start to its thread row, and from there to its completion. */
interface Timing {
  readonly toRow: number
  readonly rowToEnd: number
}

/**
 * A third of the kills come a few ms after the thread row appears (0, 1, 4, 9 … 49 ms: the window
 * before the first checkpoint, and the first nodes); a third at delays spread evenly from the
 * row to a little past the run's end; the rest spread over the process's start, before the row.
 */
const schedule = (timing: Timing): ReadonlyArray<KillAt> => {
  const early = Math.ceil(KILLS / 3)
  const late = Math.ceil((KILLS - early) / 2)
  const start = KILLS - early - late
  const spread = (n: number, span: number) => Array.from({ length: n }, (_, j) => Math.round(((j + 0.5) / n) * span))
  return [
    ...Array.from({ length: early }, (_, j): KillAt => ({ after: "row", ms: (j % 8) ** 2 })),
    ...spread(late, timing.rowToEnd * 1.1).map((ms): KillAt => ({ after: "row", ms })),
    ...spread(start, timing.toRow).map((ms): KillAt => ({ after: "spawn", ms }))
  ]
}

const schema = freshSchema("crash")
afterAll(() => dropSchema(schema))

const backends: ReadonlyArray<{ name: string; config: string; probe: (dir: string) => Promise<StoreProbe> }> = [
  { name: "sqlite", config: `persistence:\n  lease_seconds: ${LEASE_SECONDS}\n`, probe: async (dir) => sqliteProbe(dir) },
  { name: "postgres", config: postgresConfig(schema, `  lease_seconds: ${LEASE_SECONDS}\n`), probe: () => postgresProbe(schema) }
]

describe.concurrent.each(backends)("SIGKILL of `agentmap run` at any moment ($name)", ({ name, config, probe }) => {
  it(
    "leaves no thread wedged: each completes exactly once through resume or a rerun, and no node runs again after its checkpoint",
    async () => {
      const t0 = Date.now()
      const dir = workspace(chainFiles(NODES, config))
      const chain = chainNodes(NODES)
      // the store set up first, so that the test can watch it; then an uninterrupted run, timed
      expect((await agentmapAsync(["threads", "list"], { cwd: dir })).status).toBe(0)
      const store = await probe(dir)
      try {
        const reference = await killRun(dir, "reference", { after: "spawn", ms: 60_000 }, store)
        expect([reference.stage, reference.logged]).toEqual(["after it completed", chain])
        const killed: Array<Killed> = await mapLimit([...schedule(reference.timing)], 2, (at) =>
          killRun(dir, `kill-${at.after}-${at.ms}-${Math.random().toString(36).slice(2, 8)}`, at, store)
        )
        await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000 + 200))
        const recovered = await mapLimit(
          killed.map((k, i) => [k, i] as const),
          2,
          ([k, i]) => recover(dir, k, i % 2 === 0 ? "resume" : "rerun")
        )
        const wedged = recovered.filter((r) => !r.alreadyDone && (r.result?.status !== "completed" || r.result.nodes.join(" ") !== chain.join(" ")))
        const judged = killed.map((k) => ({ threadId: k.threadId, stage: k.stage, verdict: judgeLog(chain, k.logged, readLog(k.state["log"] as string)) }))
        const problems = judged.flatMap((j) => ("problem" in j.verdict ? [{ threadId: j.threadId, stage: j.stage, problem: j.verdict.problem }] : []))
        const reruns = judged.filter((j) => "reruns" in j.verdict && j.verdict.reruns > 0).length
        const listed = await agentmapAsync(["threads", "list", "--json"], { cwd: dir })
        const statuses = (JSON.parse(listed.stdout) as { threads: Array<{ thread_id: string; status: string }> }).threads
        const notCompleted = statuses.filter((t) => t.status !== "completed")
        const wedgedIds = new Set([...wedged.map((r) => r.threadId), ...notCompleted.map((t) => t.thread_id)])
        const stages = new Map<Stage, number>()
        for (const k of killed) stages.set(k.stage, (stages.get(k.stage) ?? 0) + 1)
        console.log(
          `crash sweep on ${name}: ${killed.length} kills (${[...stages].map(([s, n]) => `${n} ${s}`).join(", ")}); ` +
            `${wedgedIds.size} wedged, ${reruns} node${reruns === 1 ? "" : "s"} run again (the one in flight), ${problems.length} log problems; ${((Date.now() - t0) / 1000).toFixed(1)} s`
        )
        expect(wedged).toEqual([])
        expect(notCompleted).toEqual([])
        expect(statuses).toHaveLength(KILLS + 1)
        expect(problems).toEqual([])
        // a kill in the window this suite exists for: after the thread row, before the first checkpoint
        expect(stages.get("between its thread row and its first checkpoint") ?? 0).toBeGreaterThan(0)
      } finally {
        await store.close()
      }
    },
    120_000 + KILLS * 6_000
  )
})
