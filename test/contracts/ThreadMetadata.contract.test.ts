import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Either, type Layer, Option } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as MemoryPersistence from "../../src/adapters/persistence/MemoryPersistence.js"
import * as PostgresPersistence from "../../src/adapters/persistence/PostgresPersistence.js"
import * as SqlitePersistence from "../../src/adapters/persistence/SqlitePersistence.js"
import { type ThreadMeta, ThreadMetadata } from "../../src/ports/ThreadMetadata.js"
import { POSTGRES_URL, dropSchema, freshSchema } from "../support/postgres.js"

const sqliteFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-meta-")), "agentmap.db")
const schema = freshSchema("threadmeta")
afterAll(() => dropSchema(schema))

const backends: ReadonlyArray<{ name: string; layer: () => Layer.Layer<ThreadMetadata> }> = [
  { name: "memory", layer: () => MemoryPersistence.layer() as Layer.Layer<ThreadMetadata> },
  { name: "sqlite", layer: () => SqlitePersistence.layer({ path: sqliteFile }) as Layer.Layer<ThreadMetadata> },
  { name: "postgres", layer: () => PostgresPersistence.layer({ url: POSTGRES_URL, schema, connectTimeoutMillis: 5000 }) as Layer.Layer<ThreadMetadata> }
]

const meta = (id: string, created_at: string, overrides: Partial<ThreadMeta> = {}): ThreadMeta => ({
  thread_id: id,
  metadata: { owner: "lg", nested: { n: 1, list: [true, null] } },
  principal: "alice",
  created_at,
  updated_at: created_at,
  states: [],
  ...overrides
})

describe.each(backends)("thread metadata contract: $name", (backend) => {
  it("creates once (ThreadExists after), reads back, lists newest first, replaces and removes", async () => {
    const id = `m-${Date.now()}-${Math.floor(Math.random() * 1e9)}`
    await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* ThreadMetadata
        yield* store.create(meta(`${id}-old`, "2026-01-01T00:00:00.000Z"))
        yield* store.create(meta(id, "2026-02-01T00:00:00.000Z"))
        const again = yield* Effect.either(store.create(meta(id, "2026-03-01T00:00:00.000Z")))
        expect(Either.isLeft(again) && again.left._tag).toBe("ThreadExists")
        expect(Option.getOrThrow(yield* store.get(id))).toEqual(meta(id, "2026-02-01T00:00:00.000Z"))
        const listed = (yield* store.list).map((m) => m.thread_id).filter((t) => t.startsWith(id))
        expect(listed).toEqual([id, `${id}-old`])
        const state = { checkpoint_id: "c-1", values: { a: 1 }, as_node: "Hello", created_at: "2026-02-02T00:00:00.000Z" }
        yield* store.put(meta(id, "2026-02-01T00:00:00.000Z", { metadata: { owner: "other" }, updated_at: "2026-02-02T00:00:00.000Z", states: [state] }))
        expect(Option.getOrThrow(yield* store.get(id))).toMatchObject({ metadata: { owner: "other" }, updated_at: "2026-02-02T00:00:00.000Z", states: [state] })
        yield* store.put(meta(`${id}-new`, "2026-02-03T00:00:00.000Z"))
        expect(Option.isSome(yield* store.get(`${id}-new`))).toBe(true)
        yield* store.remove(id)
        expect(Option.isNone(yield* store.get(id))).toBe(true)
      }).pipe(Effect.provide(backend.layer()), Effect.scoped)
    )
  })
})
