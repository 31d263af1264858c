import { Clock, DateTime, Effect, Option, Schedule } from "effect"
import type { RunRecord } from "../domain/BackgroundRun.js"
import { type RequestError, ThreadNotFound } from "../domain/Errors.js"
import type { JsonObject } from "../domain/Json.js"
import { resumeFromValue } from "../domain/ResumeValue.js"
import { CheckpointStore } from "../ports/CheckpointStore.js"
import { Settings } from "../ports/Settings.js"
import { ThreadMetadata } from "../ports/ThreadMetadata.js"
import { ThreadRegistry } from "../ports/ThreadRegistry.js"
import { LeaseKeeper } from "./LeaseKeeper.js"
import { type ExecuteOutcome, type LegOptions, WorkflowService } from "./WorkflowService.js"

/** Who hears a run as it goes (streams), and the hook called once its leg has started. */
export type Listeners = Pick<LegOptions, "observer" | "tokens" | "custom" | "onStart">

const notFound = (threadId: string, what: string) => new ThreadNotFound({ thread_id: threadId, message: what })

/**
 * What a LangGraph run does to its thread, on the orchestration program: the leg it asks for, the
 * takeover of a job whose worker died, and letting a cancelled thread go.
 */
export const makeLegs = Effect.gen(function* () {
  const service = yield* WorkflowService
  const registry = yield* ThreadRegistry
  const checkpoints = yield* CheckpointStore
  const metadata = yield* ThreadMetadata
  const leases = yield* LeaseKeeper
  const settings = yield* Settings
  const now = Effect.map(Clock.currentTimeMillis, (ms) => DateTime.formatIso(DateTime.unsafeMake(ms)))

  /** The state last written to the thread (`POST /threads/{id}/state`) since its last leg ended: the next leg starts from it. */
  const written = (threadId: string, since: string) =>
    Effect.map(metadata.get(threadId), (meta) =>
      Option.flatMap(meta, (m) => Option.filter(Option.fromNullable(m.states.at(-1)), (s) => s.created_at > since)).pipe(Option.map((s) => s.values as JsonObject))
    )

  /** The leg this run asks for: a resume (`command`), a start, or a new start from a finished thread's values. */
  const leg = (run: RunRecord, listeners: Listeners | undefined, workflow: string) =>
    Effect.gen(function* () {
      const thread = yield* registry.get(run.thread_id)
      const command = run.kwargs.command
      if (command !== null) {
        if (Option.isNone(thread)) return yield* Effect.fail(notFound(run.thread_id, `thread '${run.thread_id}' has nothing to resume`))
        const t = thread.value
        const answer = resumeFromValue(command.resume, t.interrupt === null ? null : { type: t.interrupt.type, payload: t.interrupt.payload })
        const update = yield* written(run.thread_id, t.updated_at)
        return yield* service.resume({ thread_id: run.thread_id, action: answer.action, data: answer.data }, Option.isSome(update) ? { ...listeners, update: update.value } : listeners)
      }
      const input = (run.kwargs.input ?? {}) as JsonObject
      const base = { thread_id: run.thread_id, ...(run.principal !== null ? { principal: run.principal } : {}) }
      if (Option.isSome(thread) && (thread.value.status === "completed" || thread.value.status === "failed")) {
        // LangGraph runs a finished thread again from its values: a new leg of the same thread id (with the run's assistant), from its last state merged with the new input
        const t = thread.value
        const state = { ...Option.getOrElse(yield* written(t.thread_id, t.updated_at), () => (t.result?.outputs ?? t.input ?? {}) as JsonObject), ...input }
        yield* registry.remove(t.thread_id)
        yield* checkpoints.deleteThread(t.thread_id)
        return yield* service.execute({ ...base, workflow, state }, listeners)
      }
      // a thread made by POST /threads starts from the state written to it, if any
      const start = Option.isNone(thread) ? Option.getOrElse(yield* written(run.thread_id, ""), () => ({}) as JsonObject) : {}
      return yield* service.execute({ ...base, workflow, state: { ...start, ...input } }, listeners)
    })

  /** Releases a thread whose leg was cancelled: it ends `failed` (Cancelled); a new run starts it again from its values. */
  const release = (run: RunRecord) =>
    Effect.gen(function* () {
      const found = yield* registry.get(run.thread_id)
      if (Option.isNone(found) || found.value.status !== "running" || found.value.lease_owner !== leases.owner) return
      const t = found.value
      const iso = yield* now
      const outputs = t.result?.outputs ?? t.input ?? {}
      yield* registry.finish(t.thread_id, leases.owner, {
        status: "failed",
        interrupt: null,
        result: {
          success: false,
          status: "failed",
          graph_name: t.graph,
          thread_id: t.thread_id,
          outputs,
          execution_summary: { status: "failed", started_at: t.created_at, ended_at: iso, duration_ms: 0, node_executions: [] },
          error: { tag: "Cancelled", message: `run ${run.run_id} was cancelled` }
        }
      })
    })

  /** A job whose first worker died: continue the thread from its last checkpoint once that worker's lease ran out. */
  const takeOver = (record: RunRecord): Effect.Effect<ExecuteOutcome, RequestError> =>
    Effect.gen(function* () {
      const found = yield* registry.get(record.thread_id)
      // the dead worker never started the leg: run it now
      if (Option.isNone(found) || (found.value.status !== "running" && found.value.updated_at < record.created_at)) return yield* leg(record, undefined, record.assistant_id)
      const t = found.value
      // it ended the leg (suspended, completed, failed) but died before recording the run: that is how the run ended
      if (t.status !== "running" && t.result !== null) return { result: t.result, warnings: [] }
      return yield* service.resume({ thread_id: record.thread_id, action: "continue" }).pipe(
        Effect.retry({ while: (e) => e._tag === "ThreadBusy", schedule: Schedule.spaced("1 second").pipe(Schedule.upTo(settings.leaseMillis * 3)) })
      )
    })

  return { leg, release, takeOver }
})
