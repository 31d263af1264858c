import type { MemorySaver } from "@langchain/langgraph"
import { Context, Effect, Layer, Option } from "effect"
import { ThreadExists } from "../../domain/Errors.js"
import type { RunResult } from "../../domain/RunResult.js"
import type { ThreadRecord } from "../../domain/Thread.js"
import { CheckpointStore } from "../../ports/CheckpointStore.js"
import { type Claimed, IdempotencyStore } from "../../ports/IdempotencyStore.js"
import { KeyStore } from "../../ports/KeyStore.js"
import { ThreadMetadata } from "../../ports/ThreadMetadata.js"
import { ThreadRegistry } from "../../ports/ThreadRegistry.js"
import { LangGraphSaver } from "./LangGraphSaver.js"
import { DEFAULT_MEMORY_LIMITS, type MemoryLimits, retention } from "./MemoryRetention.js"
import * as SqlKeyStore from "./SqlKeyStore.js"
import * as SqlThreadMetadata from "./SqlThreadMetadata.js"
import * as SqlRunStore from "./SqlRunStore.js"
import { RunStore } from "../../ports/RunStore.js"

/**
 * Everything in this process's memory: for tests and stateless functions (suspended runs die with
 * the process). Bounded by `limits` so a long-lived process levels off.
 */
export const layer = (limits: MemoryLimits = DEFAULT_MEMORY_LIMITS) =>
  Layer.effect(
    LangGraphSaver,
    Effect.cached(Effect.promise(async () => new (await import("@langchain/langgraph")).MemorySaver())).pipe(Effect.map((get) => ({ get, ephemeral: true, kind: "memory" })))
  ).pipe(Layer.flatMap((context) => Layer.succeedContext(build(Context.get(context, LangGraphSaver), limits))))

const build = (handle: LangGraphSaver["Type"], limits: MemoryLimits) => {
  let saver: MemorySaver | undefined
  const dropCheckpoints = (threadId: string) =>
    Effect.flatMap(handle.get, (s) =>
      Effect.promise(async () => {
        const memory = s as MemorySaver | undefined
        if (memory === undefined) return
        for (const id of Object.keys(memory.storage)) if (id === threadId || id.startsWith(`${threadId}/`)) await memory.deleteThread(id)
      })
    ).pipe(Effect.orDie)
  const withSaver = Effect.map(handle.get, (s) => (saver = s as MemorySaver))
  const threads = new Map<string, ThreadRecord>()
  const kept = retention(limits, threads)
  /** Lets go of what the limits say (before `incoming` threads come in); a suspended thread let go is logged. */
  const makeRoom = (incoming: number) =>
    Effect.suspend(() =>
      Effect.forEach(kept.evictions(Date.now(), incoming), (e) =>
        Effect.gen(function* () {
          threads.delete(e.threadId)
          // a finished thread's checkpoints went when it finished; a suspended one still has them
          if (!e.suspended) return
          yield* dropCheckpoints(e.threadId)
          yield* Effect.logWarning(
              `persistence.memory.max_threads (${limits.maxThreads}) reached: suspended thread ${e.threadId} was let go and can no longer be resumed (raise the limit, or use persistence.backend: postgres to keep suspended runs)`
            )
        })
      )
    )
  const update = (threadId: string, guard: (r: ThreadRecord) => boolean, change: (r: ThreadRecord) => Partial<ThreadRecord>) =>
    Effect.sync(() => {
      const record = threads.get(threadId)
      if (record === undefined || !guard(record)) return false
      threads.set(threadId, { ...record, ...change(record), updated_at: new Date().toISOString() })
      return true
    })
  const registry = ThreadRegistry.of({
    create: (record) =>
      threads.has(record.thread_id)
        ? Effect.fail(new ThreadExists({ thread_id: record.thread_id, message: `thread id '${record.thread_id}' is already taken; choose another or leave it out` }))
        : Effect.zipRight(
            makeRoom(1),
            Effect.sync(() => void threads.set(record.thread_id, record))
          ),
    get: (threadId) => Effect.sync(() => Option.fromNullable(threads.get(threadId))),
    list: (filter) => Effect.sync(() => [...threads.values()].filter((r) => filter.status === undefined || r.status === filter.status).reverse()),
    claim: (c) =>
      update(
        c.thread_id,
        (r) => (r.status === "suspended" && r.interrupt?.id === c.interrupt_id) || (r.status === "running" && (r.lease_expires_at ?? 0) < c.now),
        () => ({ status: "running", lease_owner: c.owner, lease_expires_at: c.lease_until })
      ).pipe(Effect.tap((claimed) => (claimed ? Effect.sync(() => kept.noted(c.thread_id, "running", Date.now())) : Effect.void))),
    renew: (owner, leaseUntil) =>
      Effect.sync(() => {
        let renewed = 0
        for (const [id, r] of threads)
          if (r.lease_owner === owner && r.status === "running") {
            threads.set(id, { ...r, lease_expires_at: leaseUntil })
            renewed++
          }
        return renewed
      }),
    finish: (threadId, owner, f) =>
      update(threadId, (r) => r.lease_owner === owner, () => ({ status: f.status, interrupt: f.interrupt, result: f.result, lease_owner: null, lease_expires_at: null })).pipe(
        // a finished thread cannot be resumed: its checkpoints would only grow a long-lived process
        Effect.tap((finished) => (finished && f.status !== "suspended" ? dropCheckpoints(threadId) : Effect.void)),
        Effect.tap((finished) => (finished ? Effect.zipRight(Effect.sync(() => kept.noted(threadId, f.status, Date.now())), makeRoom(0)) : Effect.void))
      ),
    prunable: (before, includeSuspended) =>
      Effect.sync(() =>
        [...threads.values()]
          .filter((r) => Date.parse(r.updated_at) < before && (r.status === "completed" || r.status === "failed" || (includeSuspended && r.status === "suspended")))
          .map((r) => r.thread_id)
      ),
    remove: (threadId) =>
      Effect.sync(() => {
        threads.delete(threadId)
        kept.forget(threadId)
      })
  })
  const checkpoints = CheckpointStore.of({
    describe: "memory",
    has: (threadId) => Effect.map(withSaver, (s) => s.storage[threadId] !== undefined),
    deleteThread: (threadId) =>
      Effect.flatMap(withSaver, (s) =>
        Effect.promise(async () => {
          for (const id of Object.keys(s.storage)) if (id === threadId || id.startsWith(`${threadId}/`)) await s.deleteThread(id)
        })
      )
  })
  void saver
  return Context.make(ThreadRegistry, registry)
    .pipe(Context.add(CheckpointStore, checkpoints))
    .pipe(Context.add(LangGraphSaver, handle))
    .pipe(Context.add(KeyStore, SqlKeyStore.memory()))
    .pipe(Context.add(IdempotencyStore, memoryDeliveries(Math.max(limits.maxFinishedThreads, 100))))
    .pipe(Context.add(ThreadMetadata, SqlThreadMetadata.memory()))
    .pipe(Context.add(RunStore, SqlRunStore.memory()))
}

/**
 * Message ids this process has handled (a redelivery to another container runs again: memory is
 * per process), the `limit` latest of them.
 */
const memoryDeliveries = (limit: number) => {
  const deliveries = new Map<string, { claimedAt: number; result: RunResult | undefined }>()
  return IdempotencyStore.of({
    claim: (key, now, staleAfterMillis) =>
      Effect.sync((): Claimed => {
        const known = deliveries.get(key)
        if (known === undefined || (known.result === undefined && known.claimedAt < now - staleAfterMillis)) {
          deliveries.delete(key)
          deliveries.set(key, { claimedAt: now, result: undefined })
          // a Map keeps insertion order: the oldest deliveries go first
          for (const old of deliveries.keys()) {
            if (deliveries.size <= limit) break
            deliveries.delete(old)
          }
          return { _tag: "New" }
        }
        return known.result === undefined ? { _tag: "Running" } : { _tag: "Done", result: known.result }
      }),
    complete: (key, result) => Effect.sync(() => void deliveries.set(key, { claimedAt: Date.now(), result })),
    release: (key) =>
      Effect.sync(() => {
        if (deliveries.get(key)?.result === undefined) deliveries.delete(key)
      })
  })
}
