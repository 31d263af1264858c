import { Cause, Clock, Context, DateTime, Deferred, Effect, Exit, Fiber, Layer, Option, Schedule } from "effect"
import type { Principal } from "../domain/Auth.js"
import { ownsThread } from "../domain/Auth.js"
import type { MultitaskStrategy, RunKwargs, RunRecord, RunStatus } from "../domain/BackgroundRun.js"
import { InvalidRequest, type RequestError, type StoreUnavailable, ThreadBusy, ThreadNotFound } from "../domain/Errors.js"
import type { JsonObject } from "../domain/Json.js"
import { FINISHED_RUN, runView, threadValues } from "../domain/LangGraphApi.js"
import type { RunResult } from "../domain/RunResult.js"
import { type QueueFull, RunExecutor, RunQueue } from "../ports/RunQueue.js"
import { RunStore } from "../ports/RunStore.js"
import { ThreadIds } from "../ports/ThreadIds.js"
import { ThreadMetadata } from "../ports/ThreadMetadata.js"
import { ThreadRegistry } from "../ports/ThreadRegistry.js"
import { Webhooks } from "../ports/Webhooks.js"
import { type Listeners, makeLegs } from "./RunLegs.js"
import type { ExecuteOutcome } from "./WorkflowService.js"

/** A run asked for through the LangGraph API, its assistant already resolved to a workflow address. */
export interface RunRequest {
  readonly assistant_id: string
  readonly workflow: string
  /** Undefined: a stateless run on a new thread. */
  readonly thread_id: string | undefined
  readonly if_not_exists: "create" | "reject"
  readonly kwargs: RunKwargs
  readonly metadata: Readonly<Record<string, unknown>>
  readonly multitask_strategy: MultitaskStrategy
  readonly caller: Principal
}

/** How a run ended: its record, the thread's values, and the error of a run that could not run. */
export interface RunEnd {
  readonly run: RunRecord
  readonly values: JsonObject
  readonly result: RunResult | undefined
  readonly error: { readonly error: string; readonly message: string } | undefined
  /** The leg was refused before it ran (thread busy or finished, interrupt taken, unknown workflow): an HTTP error, not a run result. */
  readonly rejected: boolean
}

export type { Listeners } from "./RunLegs.js"

const ACTIVE: ReadonlyArray<RunStatus> = ["pending", "running"]
const STATUS_OF = { completed: "success", suspended: "interrupted", failed: "error" } as const

/** The LangGraph Platform API's runs over the orchestration program (WorkflowService). */
export class LangGraphRuns extends Context.Tag("agentmap/LangGraphRuns")<
  LangGraphRuns,
  {
    /** Checks the thread (ownership, existence, multitask strategy) and records the run, pending. */
    readonly create: (request: RunRequest) => Effect.Effect<RunRecord, RequestError>
    /** Executes a pending run here and now (wait, stream); never fails: a failure is the run's `error`. */
    readonly run: (run: RunRecord, listeners?: Listeners) => Effect.Effect<RunEnd>
    readonly find: (threadId: string, runId: string, caller: Principal) => Effect.Effect<RunRecord, ThreadNotFound | StoreUnavailable>
    readonly list: (threadId: string, page: { readonly limit: number; readonly offset: number; readonly status?: RunStatus }, caller: Principal) => Effect.Effect<ReadonlyArray<RunRecord>, ThreadNotFound | StoreUnavailable>
    /** Waits until the run has finished; the thread's values then. */
    readonly join: (run: RunRecord) => Effect.Effect<RunEnd, StoreUnavailable>
    /** Stops the run wherever it runs (`interrupt`); `rollback` also deletes its record. */
    readonly cancel: (run: RunRecord, action: "interrupt" | "rollback") => Effect.Effect<void, StoreUnavailable>
    readonly remove: (run: RunRecord) => Effect.Effect<void, StoreUnavailable>
    /** Hands a pending run to the shared queue; a full queue forgets the run and fails. */
    readonly submit: (run: RunRecord) => Effect.Effect<void, QueueFull | StoreUnavailable>
    /** A thread's values (state, with `__interrupt__` while it waits). */
    readonly values: (threadId: string) => Effect.Effect<JsonObject, StoreUnavailable>
  }
>() {}

const notFound = (threadId: string, what = `thread '${threadId}' not found`) => new ThreadNotFound({ thread_id: threadId, message: what })

const make = Effect.gen(function* () {
  const store = yield* RunStore
  const registry = yield* ThreadRegistry
  const metadata = yield* ThreadMetadata
  const ids = yield* ThreadIds
  const queue = yield* RunQueue
  const webhooks = yield* Webhooks
  const { leg, release, takeOver } = yield* makeLegs
  /** Runs this process executes now, to cancel them and to join them without polling. */
  const local = new Map<string, { readonly fiber: Fiber.RuntimeFiber<ExecuteOutcome, RequestError>; readonly done: Deferred.Deferred<void> }>()

  const now = Effect.map(Clock.currentTimeMillis, (ms) => DateTime.formatIso(DateTime.unsafeMake(ms)))

  const owned = (threadId: string, caller: Principal) =>
    Effect.flatMap(registry.get(threadId), (found) =>
      Option.isSome(found) && !ownsThread(caller, found.value.principal) ? Effect.fail(notFound(threadId)) : Effect.succeed(found)
    )

  const values = (threadId: string) =>
    Effect.map(registry.get(threadId), (found) => {
      if (Option.isNone(found)) return {}
      const t = found.value
      return threadValues((t.result?.outputs ?? t.input ?? {}) as JsonObject, t.status === "suspended" ? t.interrupt : null)
    })

  const cancel = (run: RunRecord, action: "interrupt" | "rollback") =>
    Effect.gen(function* () {
      // marked first: the worker whose fiber is interrupted tells a cancel from its own shutdown by it
      yield* store.transition(run.run_id, ["pending", "running"], "interrupted")
      const mine = local.get(run.run_id)
      // here: once its end is recorded and its thread let go, so a run after it finds the thread free
      if (mine !== undefined) yield* Fiber.interrupt(mine.fiber).pipe(Effect.zipRight(Deferred.await(mine.done)))
      else yield* queue.cancel(run.run_id)
      if (action === "rollback") yield* store.remove(run.run_id)
    })

  const create = (request: RunRequest) =>
    Effect.gen(function* () {
      const threadId = request.thread_id ?? (yield* ids.next)
      const thread = request.thread_id === undefined ? Option.none() : yield* owned(threadId, request.caller)
      const earlier = request.thread_id === undefined ? [] : yield* store.listByThread(threadId, { limit: 100, offset: 0 })
      if (earlier.some((r) => r.principal !== null && !ownsThread(request.caller, r.principal))) return yield* Effect.fail(notFound(threadId))
      // a thread made by POST /threads has no run yet: only its metadata row says it exists
      const declared = request.thread_id !== undefined && Option.isNone(thread) && earlier.length === 0 ? yield* metadata.get(threadId) : Option.none()
      if (Option.isSome(declared) && !ownsThread(request.caller, declared.value.principal)) return yield* Effect.fail(notFound(threadId))
      if (request.thread_id !== undefined && Option.isNone(thread) && earlier.length === 0 && Option.isNone(declared) && request.if_not_exists !== "create")
        return yield* Effect.fail(notFound(threadId, `thread '${threadId}' not found; create it first, or ask for the run with if_not_exists: "create"`))
      if (request.kwargs.command !== null && request.thread_id === undefined)
        return yield* Effect.fail(new InvalidRequest({ message: "command.resume needs a thread: POST /threads/{thread_id}/runs..." }))
      const active = earlier.filter((r) => ACTIVE.includes(r.status))
      const at = yield* Clock.currentTimeMillis
      const running = Option.isSome(thread) && thread.value.status === "running" && (thread.value.lease_expires_at ?? 0) > at
      if (active.length > 0 || running) {
        if (request.multitask_strategy === "reject")
          return yield* Effect.fail(new ThreadBusy({ thread_id: threadId, message: `thread '${threadId}' has a run in progress (multitask_strategy: reject); wait for it, or ask with multitask_strategy: enqueue` }))
        if (request.multitask_strategy === "interrupt" || request.multitask_strategy === "rollback")
          yield* Effect.forEach(active, (r) => cancel(r, request.multitask_strategy === "rollback" ? "rollback" : "interrupt"))
      }
      const iso = yield* now
      const record: RunRecord = {
        run_id: yield* ids.next,
        thread_id: threadId,
        // the canonical id (`workflow::Graph`) even when asked by UUID: any worker runs it from this record
        assistant_id: request.workflow,
        status: "pending",
        metadata: { ...request.metadata },
        kwargs: request.kwargs,
        multitask_strategy: request.multitask_strategy,
        principal: request.caller.id,
        created_at: iso,
        updated_at: iso,
        error: null
      }
      yield* store.create(record)
      return record
    })

  /** Waits while an earlier run of the thread is pending or running (multitask_strategy enqueue or interrupt). */
  const waitTurn = (run: RunRecord) =>
    run.multitask_strategy === "reject"
      ? Effect.void
      : Effect.gen(function* () {
          const earlier = yield* store.listByThread(run.thread_id, { limit: 100, offset: 0 })
          const thread = yield* registry.get(run.thread_id)
          const at = yield* Clock.currentTimeMillis
          // a cancelled run elsewhere is let go by its own worker: wait for its thread too
          const held = Option.isSome(thread) && thread.value.status === "running" && (thread.value.lease_expires_at ?? 0) > at
          return held || earlier.some((r) => r.run_id < run.run_id && ACTIVE.includes(r.status))
        }).pipe(Effect.repeat({ while: (busy) => busy, schedule: Schedule.spaced("25 millis") }), Effect.asVoid)

  const finish = (run: RunRecord, exit: Exit.Exit<ExecuteOutcome, RequestError>) =>
    Effect.gen(function* () {
      let result: RunResult | undefined
      let error: RunEnd["error"]
      let rejected = false
      if (Exit.isSuccess(exit)) {
        result = exit.value.result
        const status = STATUS_OF[result.status]
        yield* store.transition(run.run_id, ["running"], status, result.error?.message ?? null)
        if (result.error !== undefined) error = { error: result.error.tag, message: result.error.message }
      } else if (Cause.isInterruptedOnly(exit.cause)) {
        // cancelled: the thread is let go. Otherwise this process is stopping: the run stays `running`
        // and its thread's lease runs out, so the next worker continues it (a job's attempt 2)
        const current = yield* store.get(run.run_id)
        if (Option.isSome(current) && current.value.status === "interrupted") yield* release(run)
      } else {
        const failure = Cause.failureOption(exit.cause)
        error = Option.isSome(failure) ? { error: failure.value._tag, message: failure.value.message } : { error: "InternalError", message: "the run failed" }
        rejected = Option.isSome(failure) && failure.value._tag !== "StoreUnavailable"
        if (Option.isNone(failure)) yield* Effect.logError("run failed", Cause.pretty(exit.cause))
        yield* store.transition(run.run_id, ["running"], "error", error.message)
      }
      const ended = Option.getOrElse(yield* store.get(run.run_id), () => run)
      const end: RunEnd = { run: ended, values: yield* values(run.thread_id), result, error, rejected }
      if (run.kwargs.webhook !== null) yield* Effect.forkDaemon(webhooks.deliver(run.kwargs.webhook, { ...runView(ended), values: end.values, ...(error !== undefined ? { error } : {}) }))
      return end
    })

  const ended = (run: RunRecord) =>
    Effect.gen(function* () {
      const current = Option.getOrElse(yield* store.get(run.run_id), () => run)
      return { run: current, values: yield* values(run.thread_id), result: undefined, error: undefined, rejected: false } satisfies RunEnd
    })

  /** Runs `work` as this process's execution of `run` (cancellable, joinable), then records how it ended. */
  const supervise = (run: RunRecord, work: Effect.Effect<ExecuteOutcome, RequestError>) =>
    Effect.gen(function* () {
      const done = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(work)
      local.set(run.run_id, { fiber, done })
      const exit = yield* Fiber.await(fiber).pipe(Effect.onInterrupt(() => Fiber.interrupt(fiber)))
      return yield* finish(run, exit)
    }).pipe(
      Effect.ensuring(
        Effect.suspend(() => {
          const mine = local.get(run.run_id)
          local.delete(run.run_id)
          return mine === undefined ? Effect.void : Deferred.succeed(mine.done, undefined)
        })
      )
    )

  const run = (record: RunRecord, listeners?: Listeners) =>
    Effect.gen(function* () {
      yield* waitTurn(record)
      if (!(yield* store.transition(record.run_id, ["pending"], "running"))) return yield* ended(record)
      return yield* supervise(record, leg(record, listeners, record.assistant_id))
    }).pipe(
      Effect.catchAllCause((cause) =>
        Effect.logError("run could not be recorded", Cause.pretty(cause)).pipe(
          Effect.as({ run: record, values: {}, result: undefined, error: { error: "StoreUnavailable", message: Cause.pretty(cause) }, rejected: false } satisfies RunEnd)
        )
      )
    )

  const executor = RunExecutor.of({
    execute: (job) =>
      store.get(job.run_id).pipe(
        // nothing has happened yet: the job fails and the queue tries it again after a back-off
        Effect.tapError((e) => Effect.logWarning(`background run ${job.run_id}: its record cannot be read (${e.message}); the queue will try again`)),
        Effect.orDie,
        Effect.flatMap((found) =>
          Effect.gen(function* () {
            if (Option.isNone(found)) return
            const record = found.value
            if (job.attempt > 1 && record.status === "running") {
              yield* supervise(record, takeOver(record))
              return
            }
            if (record.status === "pending") yield* run(record)
          }).pipe(Effect.catchAllCause((cause) => Effect.logError(`background run ${job.run_id} failed`, Cause.pretty(cause))))
        )
      )
  })

  const join = (record: RunRecord) =>
    Effect.gen(function* () {
      const mine = local.get(record.run_id)
      if (mine !== undefined) yield* Deferred.await(mine.done)
      // another process runs it (or it waits in the queue): its record says when it is done
      const finished = (r: Option.Option<RunRecord>) => Option.isNone(r) || FINISHED_RUN.includes(r.value.status)
      const poll: Effect.Effect<Option.Option<RunRecord>, StoreUnavailable> = Effect.flatMap(store.get(record.run_id), (r) =>
        finished(r) ? Effect.succeed(r) : Effect.zipRight(Effect.sleep("50 millis"), Effect.suspend(() => poll))
      )
      const current = yield* poll
      const run: RunRecord = Option.getOrElse(current, () => record)
      return { run, values: yield* values(record.thread_id), result: undefined, error: run.error === null ? undefined : { error: "RunFailed", message: run.error }, rejected: false } satisfies RunEnd
    })

  const find = (threadId: string, runId: string, caller: Principal) =>
    Effect.gen(function* () {
      yield* owned(threadId, caller)
      const found = yield* store.get(runId)
      if (Option.isNone(found) || found.value.thread_id !== threadId || (found.value.principal !== null && !ownsThread(caller, found.value.principal)))
        return yield* Effect.fail(notFound(threadId, `run '${runId}' not found on thread '${threadId}'`))
      return found.value
    })

  const list = (threadId: string, page: { readonly limit: number; readonly offset: number; readonly status?: RunStatus }, caller: Principal) =>
    Effect.gen(function* () {
      yield* owned(threadId, caller)
      const runs = yield* store.listByThread(threadId, page)
      return runs.filter((r) => r.principal === null || ownsThread(caller, r.principal))
    })

  const remove = (record: RunRecord) =>
    Effect.gen(function* () {
      if (ACTIVE.includes(record.status)) yield* cancel(record, "interrupt")
      yield* store.remove(record.run_id)
    })

  const submit = (record: RunRecord) => queue.submit({ run_id: record.run_id, thread_id: record.thread_id }).pipe(Effect.tapError(() => store.remove(record.run_id)))

  return { runs: LangGraphRuns.of({ create, run, find, list, join, cancel, remove, submit, values }), executor }
})

/** The run service and the queue's executor, sharing this process's runs in flight. */
export const layer = Layer.effectContext(Effect.map(make, ({ runs, executor }) => Context.make(LangGraphRuns, runs).pipe(Context.add(RunExecutor, executor))))
