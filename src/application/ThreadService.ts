import { Clock, Context, Effect, Layer, Option } from "effect"
import { type StoreUnavailable, ThreadNotFound } from "../domain/Errors.js"
import { type Principal, ownsThread } from "../domain/Auth.js"
import type { NodeExecution } from "../domain/RunResult.js"
import type { ThreadRecord, ThreadStatus } from "../domain/Thread.js"
import { CheckpointStore } from "../ports/CheckpointStore.js"
import { ThreadMetadata } from "../ports/ThreadMetadata.js"
import { ThreadRegistry } from "../ports/ThreadRegistry.js"

export interface ThreadDetail {
  readonly thread: ThreadRecord
  readonly executions: ReadonlyArray<NodeExecution>
}

/** Inspecting and cleaning up threads (`agentmap threads ...`, the HTTP thread routes). */
export class ThreadService extends Context.Tag("agentmap/ThreadService")<
  ThreadService,
  {
    readonly list: (filter: { readonly status?: ThreadStatus }) => Effect.Effect<ReadonlyArray<ThreadRecord>, StoreUnavailable>
    /** With a caller, a thread another principal started is not found. */
    readonly show: (threadId: string, caller?: Principal) => Effect.Effect<ThreadDetail, ThreadNotFound | StoreUnavailable>
    /** Deletes threads (and their checkpoints) last touched more than `olderThanMillis` ago. */
    readonly prune: (olderThanMillis: number, includeSuspended: boolean) => Effect.Effect<ReadonlyArray<string>, StoreUnavailable>
  }
>() {}

export const layer = Layer.effect(
  ThreadService,
  Effect.gen(function* () {
    const registry = yield* ThreadRegistry
    const checkpoints = yield* CheckpointStore
    const metadata = yield* ThreadMetadata
    return {
      list: (filter) => registry.list(filter),
      show: (threadId, caller) =>
        Effect.gen(function* () {
          const found = yield* registry.get(threadId)
          if (Option.isNone(found) || (caller !== undefined && !ownsThread(caller, found.value.principal))) return yield* Effect.fail(new ThreadNotFound({ thread_id: threadId, message: `thread '${threadId}' not found` }))
          return { thread: found.value, executions: found.value.result?.execution_summary.node_executions ?? [] }
        }),
      prune: (olderThanMillis, includeSuspended) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const ids = yield* registry.prunable(now - olderThanMillis, includeSuspended)
          for (const id of ids) {
            yield* checkpoints.deleteThread(id)
            yield* registry.remove(id)
            yield* metadata.remove(id)
          }
          return ids
        })
    }
  })
)
