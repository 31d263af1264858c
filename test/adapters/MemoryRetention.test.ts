import { Effect, Logger } from "effect"
import { describe, expect, it } from "vitest"
import { ThreadService } from "../../src/application/ThreadService.js"
import { WorkflowService } from "../../src/application/WorkflowService.js"
import { appLayer, workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt"
const FILES = { "ok.csv": `${HEADER}\nG,A,echo,,out,,hi\n`, "wait.csv": `${HEADER}\nW,Ask,suspend,,answer,,waiting\n` }

/** Runs `program` against one memory-backed application (as a warm function container keeps it), capturing warnings. */
const inOneProcess = async <A>(memory: string, program: Effect.Effect<A, unknown, WorkflowService | ThreadService>) => {
  const dir = workspace({ ...FILES, "agentmap_config.yaml": `persistence:\n  backend: memory\n  memory: ${memory}\n` })
  const warnings: Array<string> = []
  const capture = Logger.make(({ logLevel, message }) => {
    if (logLevel._tag === "Warning") warnings.push(String(Array.isArray(message) ? message.join(" ") : message))
  })
  const value = await Effect.runPromise(program.pipe(Effect.provide(appLayer(dir)), Effect.provide(Logger.replace(Logger.defaultLogger, capture))))
  return { value, warnings }
}

const runs = (workflow: string, n: number) =>
  Effect.flatMap(WorkflowService, (s) => Effect.forEach(Array.from({ length: n }), () => Effect.map(s.execute({ workflow, state: {} }), (o) => o.result.thread_id)))
const statuses = Effect.flatMap(ThreadService, (t) => Effect.map(t.list({}), (threads) => threads.map((r) => [r.thread_id, r.status] as const)))

describe("the memory store levels off (persistence.memory)", () => {
  it("keeps the latest max_finished_threads finished threads, and suspended ones until max_threads, then lets the oldest suspended go with a warning", async () => {
    const { value, warnings } = await inOneProcess(
      "{ max_finished_threads: 5, max_threads: 8 }",
      Effect.gen(function* () {
        const done = yield* runs("ok.csv", 12)
        const afterDone = yield* statuses
        const waiting = yield* runs("wait.csv", 10)
        const afterWaiting = yield* statuses
        const service = yield* WorkflowService
        const gone = yield* Effect.either(service.resume({ thread_id: waiting[0]!, action: "continue" }))
        const kept = yield* service.resume({ thread_id: waiting[9]!, action: "continue" })
        return { done, afterDone, waiting, afterWaiting, gone, kept: kept.result.status }
      })
    )
    // only the 5 latest finished threads are kept
    expect(value.afterDone.map(([id]) => id).sort()).toEqual(value.done.slice(-5).sort())
    // 10 suspended over a limit of 8: finished ones went first, then the 2 oldest suspended
    expect(value.afterWaiting.map(([id, status]) => `${status} ${id}`).sort()).toEqual(value.waiting.slice(2).map((id) => `suspended ${id}`).sort())
    expect(warnings.filter((w) => w.includes("persistence.memory.max_threads (8) reached"))).toEqual([
      expect.stringContaining(`suspended thread ${value.waiting[0]} was let go`),
      expect.stringContaining(`suspended thread ${value.waiting[1]} was let go`)
    ])
    expect(value.gone._tag === "Left" && value.gone.left._tag).toBe("ThreadNotFound")
    expect(value.kept).toBe("completed")
  })

  it("lets finished threads go after finished_ttl_seconds", async () => {
    const { value } = await inOneProcess(
      "{ finished_ttl_seconds: 0.2 }",
      Effect.gen(function* () {
        const early = yield* runs("ok.csv", 3)
        const waiting = yield* runs("wait.csv", 1)
        yield* Effect.sleep("300 millis")
        const late = yield* runs("ok.csv", 1)
        return { early, waiting, late, after: yield* statuses }
      })
    )
    expect(value.after.map(([id]) => id).sort()).toEqual([...value.waiting, ...value.late].sort())
  })
})
