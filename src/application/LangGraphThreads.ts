import { Clock, Context, Effect, Layer, Option } from "effect"
import { type Principal, ownsThread } from "../domain/Auth.js"
import { type StoreUnavailable, ThreadBusy, ThreadExists, ThreadNotFound } from "../domain/Errors.js"
import { CheckpointStore } from "../ports/CheckpointStore.js"
import { ThreadIds } from "../ports/ThreadIds.js"
import { MAX_STATES, type ThreadMeta, ThreadMetadata } from "../ports/ThreadMetadata.js"
import { ThreadRegistry } from "../ports/ThreadRegistry.js"
import { type ThreadView, createdAt, historyOf, matchesStatus, metadataOf, ownerOf, statusOf, updatedAt } from "./LangGraphThreadView.js"

type Json = Record<string, unknown>

export interface ThreadSearch {
  readonly metadata?: Json | undefined
  readonly status?: string | undefined
  readonly ids?: ReadonlyArray<string> | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
  readonly sort_by?: string | undefined
  readonly sort_order?: string | undefined
}

type Errors = ThreadNotFound | StoreUnavailable

/**
 * The threads of the LangGraph API over the thread registry (runs) and ThreadMetadata (metadata,
 * empty threads, written states). A principal sees only its own threads; another's is not found.
 */
export class LangGraphThreads extends Context.Tag("agentmap/LangGraphThreads")<
  LangGraphThreads,
  {
    readonly create: (input: { readonly thread_id?: string | undefined; readonly metadata?: Json | undefined; readonly if_exists?: string | undefined }, caller: Principal) => Effect.Effect<ThreadView, ThreadExists | Errors>
    readonly get: (threadId: string, caller: Principal) => Effect.Effect<ThreadView, Errors>
    readonly patch: (threadId: string, metadata: Json, caller: Principal) => Effect.Effect<ThreadView, Errors>
    /** Removes the thread, its checkpoints and metadata; a running one is ThreadBusy. */
    readonly remove: (threadId: string, caller: Principal) => Effect.Effect<void, ThreadBusy | Errors>
    readonly search: (query: ThreadSearch, caller: Principal) => Effect.Effect<{ readonly page: ReadonlyArray<ThreadView>; readonly total: number }, StoreUnavailable>
    /** Writes `values` over the current ones as a new state (LangGraph's updateState); a running thread is ThreadBusy. */
    readonly updateState: (threadId: string, values: Json, asNode: string | undefined, caller: Principal) => Effect.Effect<{ readonly view: ThreadView; readonly checkpoint_id: string }, ThreadBusy | Errors>
  }
>() {}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export const layer = Layer.effect(
  LangGraphThreads,
  Effect.gen(function* () {
    const registry = yield* ThreadRegistry
    const metadata = yield* ThreadMetadata
    const checkpoints = yield* CheckpointStore
    const ids = yield* ThreadIds
    const now = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())
    const notFound = (threadId: string) => new ThreadNotFound({ thread_id: threadId, message: `thread '${threadId}' not found` })

    const find = (threadId: string) =>
      Effect.map(Effect.all([registry.get(threadId), metadata.get(threadId)]), ([record, meta]) =>
        Option.isNone(record) && Option.isNone(meta) ? Option.none<ThreadView>() : Option.some<ThreadView>({ thread_id: threadId, record: Option.getOrUndefined(record), meta: Option.getOrUndefined(meta) })
      )
    const get = (threadId: string, caller: Principal) =>
      Effect.flatMap(find(threadId), (found) =>
        Option.isSome(found) && ownsThread(caller, ownerOf(found.value)) ? Effect.succeed(found.value) : Effect.fail(notFound(threadId))
      )
    /** The view's metadata record, made on first write for a thread that only has a run. */
    const metaOf = (v: ThreadView, at: string): ThreadMeta =>
      v.meta ?? { thread_id: v.thread_id, metadata: {}, principal: ownerOf(v), created_at: createdAt(v), updated_at: at, states: [] }

    return {
      create: (input, caller) =>
        Effect.gen(function* () {
          const threadId = input.thread_id ?? (yield* ids.next)
          const existing = yield* find(threadId)
          if (Option.isSome(existing)) {
            if (input.if_exists === "do_nothing" && ownsThread(caller, ownerOf(existing.value))) return existing.value
            return yield* Effect.fail(new ThreadExists({ thread_id: threadId, message: `thread '${threadId}' already exists (if_exists: do_nothing returns it instead)` }))
          }
          const at = yield* now
          const meta: ThreadMeta = { thread_id: threadId, metadata: input.metadata ?? {}, principal: caller.id, created_at: at, updated_at: at, states: [] }
          yield* metadata.create(meta)
          return { thread_id: threadId, record: undefined, meta }
        }),
      get,
      patch: (threadId, patch, caller) =>
        Effect.gen(function* () {
          const view = yield* get(threadId, caller)
          const at = yield* now
          const current = metaOf(view, at)
          const meta = { ...current, metadata: { ...current.metadata, ...patch }, updated_at: at }
          yield* metadata.put(meta)
          return { ...view, meta }
        }),
      remove: (threadId, caller) =>
        Effect.gen(function* () {
          const view = yield* get(threadId, caller)
          if (statusOf(view) === "running") return yield* Effect.fail(new ThreadBusy({ thread_id: threadId, message: `thread '${threadId}' is running; delete it once its run has ended` }))
          // an empty thread has none (and a fresh store may not have the checkpoint tables yet)
          if (yield* checkpoints.has(threadId)) yield* checkpoints.deleteThread(threadId)
          yield* registry.remove(threadId)
          yield* metadata.remove(threadId)
        }),
      search: (query, caller) =>
        Effect.gen(function* () {
          const [records, metas] = yield* Effect.all([registry.list({}), metadata.list])
          const views = new Map<string, ThreadView>()
          for (const record of records) views.set(record.thread_id, { thread_id: record.thread_id, record, meta: undefined })
          for (const meta of metas) views.set(meta.thread_id, { thread_id: meta.thread_id, record: views.get(meta.thread_id)?.record, meta })
          const wanted = Object.entries(query.metadata ?? {})
          const matching = [...views.values()].filter((v) => {
            if (!ownsThread(caller, ownerOf(v))) return false
            if (query.ids !== undefined && !query.ids.includes(v.thread_id)) return false
            if (query.status !== undefined && !matchesStatus(statusOf(v), query.status)) return false
            const own = metadataOf(v)
            return wanted.every(([k, value]) => sameJson(own[k], value))
          })
          const key = query.sort_by === "updated_at" ? updatedAt : query.sort_by === "thread_id" ? (v: ThreadView) => v.thread_id : createdAt
          const direction = query.sort_order === "asc" ? 1 : -1
          // ties (the same millisecond) in id order, so pages do not overlap
          matching.sort((a, b) => direction * (key(a).localeCompare(key(b)) || a.thread_id.localeCompare(b.thread_id)))
          const offset = Math.max(0, query.offset ?? 0)
          return { page: matching.slice(offset, offset + Math.max(0, query.limit ?? 10)), total: matching.length }
        }),
      updateState: (threadId, values, asNode, caller) =>
        Effect.gen(function* () {
          const view = yield* get(threadId, caller)
          if (statusOf(view) === "running") return yield* Effect.fail(new ThreadBusy({ thread_id: threadId, message: `thread '${threadId}' is running; update its state once its run has ended` }))
          const at = yield* now
          const checkpointId = yield* ids.next
          const current = metaOf(view, at)
          const state = { checkpoint_id: checkpointId, values: { ...historyOf(view)[0]?.values, ...values }, as_node: asNode ?? null, created_at: at }
          const meta = { ...current, updated_at: at, states: [...current.states, state].slice(-MAX_STATES) }
          yield* metadata.put(meta)
          return { view: { ...view, meta }, checkpoint_id: checkpointId }
        })
    }
  })
)
