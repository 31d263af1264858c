import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, type Layer, Option } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as MemoryPersistence from "../../src/adapters/persistence/MemoryPersistence.js"
import * as PostgresPersistence from "../../src/adapters/persistence/PostgresPersistence.js"
import * as SqlitePersistence from "../../src/adapters/persistence/SqlitePersistence.js"
import type { RunRecord } from "../../src/domain/BackgroundRun.js"
import { RunStore } from "../../src/ports/RunStore.js"
import { POSTGRES_URL, dropSchema, freshSchema } from "../support/postgres.js"

const sqliteFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-runs-")), "agentmap.db")
const schema = freshSchema("runs")
afterAll(() => dropSchema(schema))

const backends: ReadonlyArray<{ name: string; layer: () => Layer.Layer<RunStore> }> = [
  { name: "memory", layer: () => MemoryPersistence.layer() as Layer.Layer<RunStore> },
  { name: "sqlite", layer: () => SqlitePersistence.layer({ path: sqliteFile }) as Layer.Layer<RunStore> },
  { name: "postgres", layer: () => PostgresPersistence.layer({ url: POSTGRES_URL, schema, connectTimeoutMillis: 5000 }) as Layer.Layer<RunStore> }
]

let n = 0
const run = (threadId: string, overrides: Partial<RunRecord> = {}): RunRecord => {
  n++
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString()
  return {
    run_id: `run-${String(n).padStart(4, "0")}-${Math.floor(Math.random() * 1e9)}`,
    thread_id: threadId,
    assistant_id: "flow::G",
    status: "pending",
    metadata: { from: "test", nested: { n } },
    kwargs: { input: { doc: "Q3" }, command: null, stream_mode: ["values"], config: null, webhook: null },
    multitask_strategy: "reject",
    principal: "key:alice",
    created_at: at,
    updated_at: at,
    error: null,
    ...overrides
  }
}

const using = <A, E>(layer: Layer.Layer<RunStore>, body: (s: RunStore["Type"]) => Effect.Effect<A, E>) =>
  Effect.runPromise(Effect.flatMap(RunStore, body).pipe(Effect.provide(layer), Effect.scoped))

describe.each(backends)("run store contract: $name", (backend) => {
  it("keeps a run as written and lists a thread's runs newest first, by page and status", async () => {
    const thread = `t-${Math.random()}`
    const first = run(thread)
    const second = run(thread, { kwargs: { input: null, command: { resume: { action: "approve" } }, stream_mode: [], config: { a: 1 }, webhook: "http://h/x" }, multitask_strategy: "enqueue" })
    const other = run(`other-${thread}`)
    await using(backend.layer(), (s) =>
      Effect.gen(function* () {
        for (const r of [first, second, other]) yield* s.create(r)
        expect(yield* s.get(second.run_id)).toEqual(Option.some(second))
        expect(yield* s.get("nope")).toEqual(Option.none())
        expect((yield* s.listByThread(thread, { limit: 10, offset: 0 })).map((r) => r.run_id)).toEqual([second.run_id, first.run_id])
        expect((yield* s.listByThread(thread, { limit: 1, offset: 1 })).map((r) => r.run_id)).toEqual([first.run_id])
        expect(yield* s.transition(first.run_id, ["pending"], "running")).toBe(true)
        expect((yield* s.listByThread(thread, { limit: 10, offset: 0, status: "running" })).map((r) => r.run_id)).toEqual([first.run_id])
      })
    )
  })

  it("changes a status only from the statuses given, and removes runs one by one or by thread", async () => {
    const thread = `t-${Math.random()}`
    const a = run(thread)
    const b = run(thread)
    await using(backend.layer(), (s) =>
      Effect.gen(function* () {
        yield* s.create(a)
        yield* s.create(b)
        expect(yield* s.transition(a.run_id, ["pending"], "running")).toBe(true)
        // a second worker cannot take the same run
        expect(yield* s.transition(a.run_id, ["pending"], "running")).toBe(false)
        expect(yield* s.transition(a.run_id, ["running"], "error", "boom")).toBe(true)
        expect(Option.map(yield* s.get(a.run_id), (r) => [r.status, r.error])).toEqual(Option.some(["error", "boom"]))
        expect(yield* s.transition(a.run_id, [], "success")).toBe(false)
        yield* s.remove(a.run_id)
        expect(yield* s.get(a.run_id)).toEqual(Option.none())
        yield* s.removeByThread(thread)
        expect(yield* s.listByThread(thread, { limit: 10, offset: 0 })).toEqual([])
      })
    )
  })
})
