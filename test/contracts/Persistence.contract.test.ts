import * as os from "node:os"
import * as path from "node:path"
import * as fs from "node:fs"
import { Effect, Either, type Layer, ManagedRuntime, Option } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as MemoryPersistence from "../../src/adapters/persistence/MemoryPersistence.js"
import * as PostgresPersistence from "../../src/adapters/persistence/PostgresPersistence.js"
import * as SqlitePersistence from "../../src/adapters/persistence/SqlitePersistence.js"
import type { ThreadRecord } from "../../src/domain/Thread.js"
import { CheckpointStore } from "../../src/ports/CheckpointStore.js"
import { IdempotencyStore } from "../../src/ports/IdempotencyStore.js"
import type { RunResult } from "../../src/domain/RunResult.js"
import { ThreadRegistry } from "../../src/ports/ThreadRegistry.js"
import { POSTGRES_URL, dropSchema, freshSchema, postgresConfig } from "../support/postgres.js"
import { WorkflowService } from "../../src/application/WorkflowService.js"
import { appLayer, workspace } from "../support/workspace.js"

type Stores = ThreadRegistry | CheckpointStore | IdempotencyStore
type Backend = { name: string; layer: () => Layer.Layer<Stores, never, never>; config: () => string; durable: boolean }

const sqliteFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-contract-")), "agentmap.db")
const schema = freshSchema("contract")
afterAll(() => dropSchema(schema))

const backends: ReadonlyArray<Backend> = [
  { name: "memory", layer: () => MemoryPersistence.layer() as Layer.Layer<Stores>, config: () => "persistence:\n  backend: memory\n", durable: false },
  {
    name: "sqlite",
    layer: () => SqlitePersistence.layer({ path: sqliteFile }) as Layer.Layer<Stores>,
    config: () => `persistence:\n  backend: sqlite\n  sqlite_path: ${sqliteFile}\n`,
    durable: true
  },
  {
    name: "postgres",
    layer: () => PostgresPersistence.layer({ url: POSTGRES_URL, schema, connectTimeoutMillis: 5000 }) as Layer.Layer<Stores>,
    config: () => postgresConfig(schema),
    durable: true
  }
]

const record = (id: string, overrides: Partial<ThreadRecord> = {}): ThreadRecord => ({
  thread_id: id,
  workflow: "flow.csv",
  graph: "G",
  csv_hash: "abc",
  snapshot: { files: { "/x/flow.csv": "GraphName,Node\nG,A\n" }, resolutions: {}, functions: {} },
  input: { doc: "Q3", nested: { n: 1, list: [true, null] } },
  status: "suspended",
  interrupt: { id: "int-1", node: "A", type: "suspend", payload: { reason: "wait" } },
  principal: "alice",
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
  lease_owner: null,
  lease_expires_at: null,
  result: null,
  ...overrides
})

const using = <A, E>(backend: Backend, body: (r: ThreadRegistry["Type"], c: CheckpointStore["Type"]) => Effect.Effect<A, E>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      return yield* body(yield* ThreadRegistry, yield* CheckpointStore)
    }).pipe(Effect.provide(backend.layer()), Effect.scoped)
  )

const unique = () => `t-${Date.now()}-${Math.floor(Math.random() * 1e9)}`

describe.each(backends)("persistence contract: $name", (backend) => {
  it("claims a message id once, hands back its result to redeliveries, and lets a stale or released claim run again", async () => {
    const result = { success: true, status: "completed", graph_name: "G", thread_id: "t-1", outputs: { x: 1 }, execution_summary: { status: "completed", started_at: "2026-01-01T00:00:00.000Z", ended_at: "2026-01-01T00:00:01.000Z", duration_ms: 1000, node_executions: [] } } as unknown as RunResult
    const key = `msg-${Math.random()}`
    const seen = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        const first = yield* store.claim(key, 1_000, 60_000)
        const whileRunning = yield* store.claim(key, 2_000, 60_000)
        yield* store.complete(key, result)
        const afterwards = yield* store.claim(key, 3_000, 60_000)
        const other = `${key}-other`
        yield* store.claim(other, 1_000, 60_000)
        const staleTakeover = yield* store.claim(other, 100_000, 60_000)
        const released = `${key}-released`
        yield* store.claim(released, 1_000, 60_000)
        yield* store.release(released)
        const afterRelease = yield* store.claim(released, 2_000, 60_000)
        return [first._tag, whileRunning._tag, afterwards, staleTakeover._tag, afterRelease._tag]
      }).pipe(Effect.provide(backend.layer()), Effect.scoped)
    )
    expect(seen).toEqual(["New", "Running", { _tag: "Done", result }, "New", "New"])
  })

  it("creates and reads threads, and refuses a taken id", async () => {
    const id = unique()
    await using(backend, (registry) =>
      Effect.gen(function* () {
        yield* registry.create(record(id))
        const found = yield* registry.get(id)
        expect(Option.getOrThrow(found)).toEqual(record(id))
        const again = yield* Effect.either(registry.create(record(id)))
        expect(Either.isLeft(again) && again.left._tag).toBe("ThreadExists")
        expect(Option.isNone(yield* registry.get(`${id}-missing`))).toBe(true)
        expect((yield* registry.list({ status: "suspended" })).some((t) => t.thread_id === id)).toBe(true)
        expect((yield* registry.list({ status: "completed" })).some((t) => t.thread_id === id)).toBe(false)
      })
    )
  })

  it("lets exactly one claim take an interrupt, and hands a dead thread over only after its lease expires", async () => {
    const id = unique()
    const dead = unique()
    await using(backend, (registry) =>
      Effect.gen(function* () {
        yield* registry.create(record(id))
        const now = Date.now()
        const claim = (owner: string, interrupt: string | undefined, threadId = id) =>
          registry.claim({ thread_id: threadId, interrupt_id: interrupt, owner, lease_until: now + 10_000, now })
        expect(yield* claim("a", "other-interrupt")).toBe(false)
        const results = yield* Effect.all([claim("a", "int-1"), claim("b", "int-1"), claim("c", "int-1")], { concurrency: "unbounded" })
        expect(results.filter(Boolean)).toHaveLength(1)
        expect(yield* claim("d", undefined)).toBe(false) // running with a live lease: busy
        yield* registry.create(record(dead, { status: "running", interrupt: null, lease_owner: "gone", lease_expires_at: now - 1 }))
        expect(yield* claim("e", undefined, dead)).toBe(true)
        expect(Option.getOrThrow(yield* registry.get(dead)).lease_owner).toBe("e")
      })
    )
  })

  it("renews and finishes only for the lease owner", async () => {
    const id = unique()
    await using(backend, (registry) =>
      Effect.gen(function* () {
        const me = `me-${id}`
        yield* registry.create(record(id, { status: "running", interrupt: null, lease_owner: me, lease_expires_at: Date.now() + 1000 }))
        yield* registry.create(record(`${id}-2`, { status: "running", interrupt: null, lease_owner: me, lease_expires_at: Date.now() + 1000 }))
        expect(yield* registry.renew(`someone-else-${id}`, Date.now() + 5000)).toBe(0)
        expect(yield* registry.renew(me, Date.now() + 5000)).toBe(2)
        expect(Option.getOrThrow(yield* registry.get(id)).lease_expires_at).toBeGreaterThan(Date.now() + 3000)
        const result = {
          success: true,
          status: "completed" as const,
          graph_name: "G",
          thread_id: id,
          outputs: { a: 1 },
          execution_summary: { status: "completed" as const, started_at: "x", ended_at: "y", duration_ms: 1, node_executions: [] }
        }
        expect(yield* registry.finish(id, "someone-else", { status: "completed", interrupt: null, result })).toBe(false)
        expect(yield* registry.finish(id, me, { status: "completed", interrupt: null, result })).toBe(true)
        const done = Option.getOrThrow(yield* registry.get(id))
        expect([done.status, done.lease_owner, done.result?.outputs]).toEqual(["completed", null, { a: 1 }])
      })
    )
  })

  it("prunes finished threads before a time, suspended ones only when asked", async () => {
    const done = unique()
    const waiting = unique()
    await using(backend, (registry) =>
      Effect.gen(function* () {
        yield* registry.create(record(done, { status: "completed", interrupt: null }))
        yield* registry.create(record(waiting))
        const before = Date.parse("2026-06-01T00:00:00.000Z")
        const plain = yield* registry.prunable(before, false)
        expect(plain).toContain(done)
        expect(plain).not.toContain(waiting)
        expect(yield* registry.prunable(before, true)).toEqual(expect.arrayContaining([done, waiting]))
        expect(yield* registry.prunable(Date.parse("2025-01-01T00:00:00.000Z"), true)).not.toContain(done)
        yield* registry.remove(done)
        expect(Option.isNone(yield* registry.get(done))).toBe(true)
      })
    )
  })

  it("checkpoints a suspended run so that it resumes (from a new connection when durable), and deletes it with its subgraph threads", async () => {
    const dir = workspace({
      "agentmap_config.yaml": backend.config(),
      "main.csv": [
        "GraphName,Node,AgentType,Edge,Input_Fields,Output_Field,Context,Prompt",
        "Main,Before,echo,Sub,x,before,,",
        "Main,Sub,graph,After,x,child,{workflow=::Child},",
        "Main,After,echo,,child,after,,",
        "Child,Wait,suspend,,x,answer,,Waiting on {x}",
        ""
      ].join("\n")
    })
    const original = ManagedRuntime.make(appLayer(dir))
    // durable backends resume on a new connection, as another process would; memory only has the one
    const other = backend.durable ? ManagedRuntime.make(appLayer(dir)) : original
    try {
      const first = (await original.runPromise(Effect.flatMap(WorkflowService, (s) => s.execute({ workflow: "main.csv", graph: "Main", state: { x: "in" } })))).result
      expect(first.status).toBe("suspended")
      expect(first.interrupt).toMatchObject({ node: "Sub", type: "suspend", payload: { prompt: "Waiting on in" } })
      const threadId = first.thread_id
      const child = `${threadId}/Sub#2`
      const stored = () => original.runPromise(Effect.flatMap(CheckpointStore, (c) => Effect.all([c.has(threadId), c.has(child)])))
      expect(await stored()).toEqual([true, true])
      const resumed = (await other.runPromise(Effect.flatMap(WorkflowService, (s) => s.resume({ thread_id: threadId, action: "submit", data: { ok: true } })))).result
      expect(resumed.status).toBe("completed")
      expect((resumed.outputs["child"] as Record<string, unknown>)["answer"]).toEqual({ action: "submit", data: { ok: true } })
      expect(resumed.execution_summary.node_executions.map((e) => e.node)).toEqual(["Before", "Sub", "After"])
      await original.runPromise(Effect.flatMap(CheckpointStore, (c) => c.deleteThread(threadId)))
      expect(await stored()).toEqual([false, false])
    } finally {
      await original.dispose()
      if (other !== original) await other.dispose()
    }
  })
})
