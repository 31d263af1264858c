import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Either, Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as TimeOrderedThreadIds from "../../src/adapters/ids/TimeOrderedThreadIds.js"
import * as MemoryPersistence from "../../src/adapters/persistence/MemoryPersistence.js"
import * as PostgresPersistence from "../../src/adapters/persistence/PostgresPersistence.js"
import * as SqlitePersistence from "../../src/adapters/persistence/SqlitePersistence.js"
import * as LangGraphThreads from "../../src/application/LangGraphThreads.js"
import { statusOf } from "../../src/application/LangGraphThreadView.js"
import { PERMISSIONS, type Principal } from "../../src/domain/Auth.js"
import type { ThreadRecord } from "../../src/domain/Thread.js"
import { ThreadRegistry } from "../../src/ports/ThreadRegistry.js"
import { POSTGRES_URL, dropSchema, freshSchema } from "../support/postgres.js"

const sqliteFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-lgthreads-")), "agentmap.db")
const schema = freshSchema("lgthreads")
afterAll(() => dropSchema(schema))

const stores = [
  { name: "memory", layer: () => MemoryPersistence.layer() },
  { name: "sqlite", layer: () => SqlitePersistence.layer({ path: sqliteFile }) },
  { name: "postgres", layer: () => PostgresPersistence.layer({ url: POSTGRES_URL, schema, connectTimeoutMillis: 5000 }) }
]

const alice: Principal = { id: "alice", permissions: new Set(["read", "execute"]) }
const bob: Principal = { id: "bob", permissions: new Set(["read", "execute"]) }
const admin: Principal = { id: "root", permissions: new Set(PERMISSIONS) }

const record = (id: string, status: ThreadRecord["status"]): ThreadRecord => ({
  thread_id: id,
  workflow: "flow",
  graph: "G",
  csv_hash: "abc",
  snapshot: { files: {}, resolutions: {}, functions: {} },
  input: {},
  status,
  interrupt: null,
  principal: "alice",
  // a second ago: older than the threads the test creates next
  created_at: new Date(Date.now() - 1000).toISOString(),
  updated_at: new Date(Date.now() - 1000).toISOString(),
  lease_owner: status === "running" ? "owner" : null,
  lease_expires_at: status === "running" ? Date.now() + 60_000 : null,
  result: null
})

describe.each(stores)("LangGraph threads over the $name store", (store) => {
  const run = <A, E>(body: Effect.Effect<A, E, LangGraphThreads.LangGraphThreads | ThreadRegistry>) =>
    Effect.runPromise(
      body.pipe(Effect.provide(LangGraphThreads.layer.pipe(Layer.provideMerge(Layer.merge(store.layer(), TimeOrderedThreadIds.layer)))), Effect.scoped) as Effect.Effect<A, E>
    )
  const tag = `t-${Date.now()}-${Math.floor(Math.random() * 1e6)}`

  it("refuses to delete or write the state of a running thread (409), deletes a finished one", async () => {
    await run(
      Effect.gen(function* () {
        const registry = yield* ThreadRegistry
        const threads = yield* LangGraphThreads.LangGraphThreads
        yield* registry.create(record(`${tag}-busy`, "running"))
        const removed = yield* Effect.either(threads.remove(`${tag}-busy`, alice))
        const written = yield* Effect.either(threads.updateState(`${tag}-busy`, { a: 1 }, undefined, alice))
        expect([Either.isLeft(removed) && removed.left._tag, Either.isLeft(written) && written.left._tag]).toEqual(["ThreadBusy", "ThreadBusy"])
        yield* registry.create(record(`${tag}-done`, "completed"))
        yield* threads.patch(`${tag}-done`, { tag }, alice)
        yield* threads.remove(`${tag}-done`, alice)
        const gone = yield* Effect.either(threads.get(`${tag}-done`, alice))
        expect(Either.isLeft(gone) && gone.left._tag).toBe("ThreadNotFound")
      })
    )
  })

  it("searches runs and empty threads together: ownership, status in both vocabularies, paging, order", async () => {
    await run(
      Effect.gen(function* () {
        const registry = yield* ThreadRegistry
        const threads = yield* LangGraphThreads.LangGraphThreads
        yield* registry.create(record(`${tag}-run`, "suspended"))
        yield* threads.patch(`${tag}-run`, { tag }, alice)
        const empty = yield* threads.create({ metadata: { tag } }, alice)
        yield* threads.create({ metadata: { tag } }, bob)
        const ids = (q: Parameters<LangGraphThreads.LangGraphThreads["Type"]["search"]>[0], who = alice) =>
          Effect.map(threads.search(q, who), (r) => r.page.map((v) => v.thread_id))
        expect(yield* ids({ metadata: { tag } })).toEqual([empty.thread_id, `${tag}-run`])
        expect(yield* ids({ metadata: { tag }, sort_order: "asc" })).toEqual([`${tag}-run`, empty.thread_id])
        expect(yield* ids({ metadata: { tag }, status: "interrupted" })).toEqual([`${tag}-run`])
        expect(yield* ids({ metadata: { tag }, status: "suspended" })).toEqual([`${tag}-run`])
        expect(yield* ids({ metadata: { tag }, status: "idle" })).toEqual([empty.thread_id])
        expect(yield* ids({ metadata: { tag }, limit: 1, offset: 1 })).toEqual([`${tag}-run`])
        expect((yield* threads.search({ metadata: { tag } }, admin)).total).toBe(3)
        expect(statusOf(yield* threads.get(empty.thread_id, alice))).toBe("idle")
        const hidden = yield* Effect.either(threads.get(empty.thread_id, bob))
        expect(Either.isLeft(hidden) && hidden.left._tag).toBe("ThreadNotFound")
      })
    )
  })
})
