import { Clock, Context, DateTime, Effect, Either, Layer, Option } from "effect"
import type { Diagnostic } from "../domain/Diagnostic.js"
import { FunctionChanged, InvalidRequest, type RequestError, ThreadBusy, ThreadExists, ThreadFinished, ThreadNotFound } from "../domain/Errors.js"
import type { JsonObject } from "../domain/Json.js"
import { type ResumeInput, checkAgainstInterrupt, checkResumeRequest } from "../domain/Resume.js"
import type { NodeExecution, RunResult } from "../domain/RunResult.js"
import { evaluate } from "../domain/SuccessPolicy.js"
import { decideTakeover } from "../domain/Takeover.js"
import type { Snapshot, ThreadRecord } from "../domain/Thread.js"
import { type Principal, ownsThread } from "../domain/Auth.js"
import { Settings } from "../ports/Settings.js"
import { ThreadIds } from "../ports/ThreadIds.js"
import { ThreadRegistry } from "../ports/ThreadRegistry.js"
import { UserFunctions } from "../ports/UserFunctions.js"
import { UserModules } from "../ports/UserModules.js"
import { type CustomObserver, type EngineOutcome, type RunOptions, type RunPlan, type StepObserver, type TokenObserver, WorkflowEngine } from "../ports/WorkflowEngine.js"
import { LeaseKeeper } from "./LeaseKeeper.js"
import * as Metrics from "./Metrics.js"
import { PlanBuilder, type ValidationReport } from "./PlanBuilder.js"
import { type LegKind, annotateRun, traceIds, withRunSpan } from "./RunTracing.js"
import type { ExecuteRequest, ResumeRequest, ValidateRequest } from "./Requests.js"

/** Per-call options: who to tell about every finished node, and when the run was accepted (streaming). */
export interface LegOptions {
  readonly observer?: StepObserver
  /** Who hears a model's answer as it is written (streaming). */
  readonly tokens?: TokenObserver
  /** Told about each `ctx.emit` of a custom agent (a `custom` SSE event). */
  readonly custom?: CustomObserver
  /** Runs once the thread exists (or was claimed) and before any node runs. */
  readonly onStart?: Effect.Effect<void>
  /** A resume only: state written to the thread while it waited (LangGraph API updateState), merged in before the resumed node runs. */
  readonly update?: JsonObject
}

export interface ExecuteOutcome {
  readonly result: RunResult
  /** Warnings about the workflow that did not stop it (shown on stderr by the CLI). */
  readonly warnings: ReadonlyArray<Diagnostic>
}

/** The orchestration program: every door (CLI, HTTP, embedded, serverless) calls these. */
export class WorkflowService extends Context.Tag("agentmap/WorkflowService")<
  WorkflowService,
  {
    readonly execute: (request: ExecuteRequest, options?: LegOptions) => Effect.Effect<ExecuteOutcome, RequestError>
    /** With a caller, only the principal that started the thread (or an admin) may resume it. */
    readonly resume: (request: ResumeRequest, options?: LegOptions & { readonly caller?: Principal }) => Effect.Effect<ExecuteOutcome, RequestError>
    readonly validate: (request: ValidateRequest) => Effect.Effect<ValidationReport, RequestError>
  }
>() {}

/** Custom agent and tool modules share the snapshot's fingerprint record with routing functions, under this prefix. */
const MODULE_KEY = "module:"

export const layer = Layer.effect(
  WorkflowService,
  Effect.gen(function* () {
    const builder = yield* PlanBuilder
    const engine = yield* WorkflowEngine
    const settings = yield* Settings
    const ids = yield* ThreadIds
    const functions = yield* UserFunctions
    const modules = yield* UserModules
    const registry = yield* ThreadRegistry
    const leases = yield* LeaseKeeper

    const customPolicy = Effect.gen(function* () {
      const policy = settings.successPolicy
      if (policy._tag !== "Custom") return undefined
      const fn = yield* functions.load(policy.functionName).pipe(
        Effect.mapError((e) => new InvalidRequest({ message: `execution.success_policy: custom function '${policy.functionName}' cannot be used: ${e.message}` }))
      )
      return (executions: ReadonlyArray<NodeExecution>) => fn(executions) === true
    })

    /** Routing functions by name; custom agent and tool modules as `module:<path>` (the snapshot's `functions` record holds both). */
    const fingerprints = (names: ReadonlyArray<string>, files: ReadonlyArray<string> = []) =>
      Effect.all([
        Effect.forEach(names, (name) => functions.fingerprint(name).pipe(Effect.map((hash) => [name, hash ?? "missing"] as const))),
        Effect.forEach(files, (file) => modules.fingerprint(file).pipe(Effect.map((hash) => [`${MODULE_KEY}${file}`, hash ?? "missing"] as const)))
      ]).pipe(Effect.map(([a, b]) => Object.fromEntries([...a, ...b]) as Record<string, string>))

    const runOptions = (options: LegOptions | undefined): RunOptions => ({
      durability: settings.durability,
      observer: options?.observer ?? (() => Effect.void),
      tokens: options?.tokens,
      custom: options?.custom,
      update: options?.update
    })

    /** Runs one leg of a thread (a start or a resume) under its lease, then records how it ended. */
    const drive = (record: ThreadRecord, owner: string, plan: RunPlan, leg: Effect.Effect<EngineOutcome, RequestError>, options: LegOptions | undefined, kind: LegKind) =>
      Effect.gen(function* () {
        const custom = yield* customPolicy
        if (options?.onStart !== undefined) yield* options.onStart
        const t0 = yield* Clock.currentTimeMillis
        const outcome = yield* Metrics.whileActive(plan.graph.name, leases.hold(leg)).pipe(
          Effect.annotateLogs({ graph: plan.graph.name, thread_id: record.thread_id })
        )
        const executions = outcome.executions
        const now = yield* Clock.currentTimeMillis
        const verdict = outcome.status === "completed" ? evaluate(settings.successPolicy, executions, custom) : undefined
        const status = outcome.status === "failed" || (verdict !== undefined && !verdict.ok) ? "failed" : outcome.status
        const error = outcome.error ?? (verdict !== undefined && !verdict.ok ? { tag: "SuccessPolicyFailed", message: verdict.message } : undefined)
        const startedAt = Date.parse(record.created_at)
        const result: RunResult = {
          success: status !== "failed",
          status,
          graph_name: plan.graph.name,
          thread_id: record.thread_id,
          outputs: outcome.state,
          execution_summary: {
            status,
            started_at: record.created_at,
            ended_at: DateTime.formatIso(DateTime.unsafeMake(now)),
            duration_ms: Number.isFinite(startedAt) ? Math.max(0, now - startedAt) : now - t0,
            node_executions: settings.trackExecutions ? executions : []
          },
          ...(outcome.interrupt !== undefined && status === "suspended"
            ? { interrupt: { node: outcome.interrupt.node, type: outcome.interrupt.type, payload: outcome.interrupt.payload } }
            : {}),
          ...(error !== undefined && status === "failed" ? { error } : {}),
          ...(yield* traceIds)
        }
        yield* registry.finish(record.thread_id, owner, {
          status,
          interrupt: status === "suspended" ? (outcome.interrupt ?? null) : null,
          result
        })
        yield* Effect.logInfo(`run ${status}`).pipe(
          Effect.annotateLogs({ graph: plan.graph.name, thread_id: record.thread_id, status, duration_ms: result.execution_summary.duration_ms, nodes: executions.length })
        )
        yield* Metrics.runEnded(plan.graph.name, status, (now - t0) / 1000, status === "suspended" ? outcome.interrupt?.node : undefined)
        yield* annotateRun(result)
        return result
      }).pipe(withRunSpan(record, kind))

    /**
     * Goes on with a thread checked to be resumable: answers its interrupt (suspended), or, when its
     * process died, continues it from its last checkpoint or starts it again from its input.
     */
    const proceed = (record: ThreadRecord, answer: ResumeInput, force: boolean, options: LegOptions | undefined) =>
      Effect.gen(function* () {
        const { plan, functions: used, modules: usedModules } = yield* builder.plan(record.workflow, record.graph, record.snapshot)
        const current = yield* fingerprints(used, usedModules)
        // a module the thread did not record (started before it was used) is not a change
        const changed = Object.keys(current).filter((key) => current[key] !== record.snapshot.functions[key] && (!key.startsWith(MODULE_KEY) || key in record.snapshot.functions))
        if (changed.length > 0 && !force) {
          const fns = changed.filter((k) => !k.startsWith(MODULE_KEY))
          const mods = changed.filter((k) => k.startsWith(MODULE_KEY)).map((k) => k.slice(MODULE_KEY.length))
          const what = [
            ...(fns.length > 0 ? [`routing function${fns.length === 1 ? "" : "s"} ${fns.join(", ")}`] : []),
            ...(mods.length > 0 ? [`custom agent or tool module${mods.length === 1 ? "" : "s"} ${mods.join(", ")}`] : [])
          ].join(" and ")
          return yield* Effect.fail(
            new FunctionChanged({
              functions: [...fns, ...mods],
              message: `${what} changed since thread '${record.thread_id}' started; resume with --force to run it with the new code`
            })
          )
        }
        const owner = leases.owner
        const now = yield* Clock.currentTimeMillis
        const suspended = record.status === "suspended"
        const claimed = yield* registry.claim({
          thread_id: record.thread_id,
          interrupt_id: suspended ? (record.interrupt?.id ?? undefined) : undefined,
          owner,
          lease_until: now + settings.leaseMillis,
          now
        })
        if (!claimed)
          return yield* Effect.fail(new ThreadBusy({ thread_id: record.thread_id, message: `thread '${record.thread_id}' was already resumed (its interrupt is taken) or is running` }))
        if (suspended) yield* Metrics.count(Metrics.resumes, { graph: record.graph })
        const leg = suspended
          ? engine.resume(plan, record.thread_id, answer, runOptions(options))
          : engine.recover(plan, record.thread_id, record.input as JsonObject | null, runOptions(options))
        return yield* drive(record, owner, plan, leg, options, suspended ? "resume" : "recover")
      })

    /** A run asked for under a taken thread id: a retry of an interrupted run takes it over (see Takeover). */
    const takeOver = (wanted: ThreadRecord, taken: ThreadExists, options: LegOptions | undefined) =>
      Effect.gen(function* () {
        const found = yield* registry.get(wanted.thread_id)
        if (Option.isNone(found)) return yield* Effect.fail(taken)
        const decision = decideTakeover(found.value, wanted, yield* Clock.currentTimeMillis)
        if (decision._tag === "Busy") return yield* Effect.fail(new ThreadBusy({ thread_id: wanted.thread_id, message: decision.message }))
        if (decision._tag === "Taken") return yield* Effect.fail(new ThreadExists({ thread_id: wanted.thread_id, message: decision.message }))
        return yield* proceed(found.value, { action: "continue", data: null }, false, options)
      })

    const execute = Effect.fn("WorkflowService.execute")(function* (request: ExecuteRequest, options?: LegOptions) {
      const { plan, warnings, snapshot, hash, functions: used, modules: usedModules } = yield* builder.plan(request.workflow, request.graph)
      yield* customPolicy
      const threadId = request.thread_id ?? (yield* ids.next)
      const owner = leases.owner
      const now = yield* Clock.currentTimeMillis
      const iso = DateTime.formatIso(DateTime.unsafeMake(now))
      const fullSnapshot: Snapshot = { ...snapshot, functions: yield* fingerprints(used, usedModules) }
      const input = (request.state ?? {}) as JsonObject
      const record: ThreadRecord = {
        thread_id: threadId,
        workflow: request.workflow,
        graph: plan.graph.name,
        csv_hash: hash,
        snapshot: fullSnapshot,
        input,
        status: "running",
        interrupt: null,
        principal: request.principal ?? null,
        created_at: iso,
        updated_at: iso,
        lease_owner: owner,
        lease_expires_at: now + settings.leaseMillis,
        result: null
      }
      const taken = yield* registry.create(record).pipe(
        Effect.as(undefined),
        Effect.catchTag("ThreadExists", (e) => (request.thread_id === undefined ? Effect.fail(e) : Effect.succeed(e)))
      )
      if (taken !== undefined) return { result: yield* takeOver(record, taken, options), warnings }
      const result = yield* drive(record, owner, plan, engine.run(plan, threadId, input, runOptions(options)), options, "start")
      return { result, warnings }
    })

    const resume = Effect.fn("WorkflowService.resume")(function* (request: ResumeRequest, options?: LegOptions & { readonly caller?: Principal }) {
      const action = request.action ?? "continue"
      const checked = checkResumeRequest(action, request.data)
      if (Either.isLeft(checked)) return yield* Effect.fail(new InvalidRequest({ message: checked.left }))
      const found = yield* registry.get(request.thread_id)
      if (Option.isNone(found) || (options?.caller !== undefined && !ownsThread(options.caller, found.value.principal)))
        return yield* Effect.fail(new ThreadNotFound({ thread_id: request.thread_id, message: `thread '${request.thread_id}' not found` }))
      const record = found.value
      const now = yield* Clock.currentTimeMillis
      if (record.status === "completed" || record.status === "failed")
        return yield* Effect.fail(
          new ThreadFinished({ thread_id: record.thread_id, status: record.status, message: `thread '${record.thread_id}' already ${record.status}; there is nothing to resume` })
        )
      if (record.status === "running" && (record.lease_expires_at ?? 0) > now)
        return yield* Effect.fail(new ThreadBusy({ thread_id: record.thread_id, message: `thread '${record.thread_id}' is running in another process (or was just resumed); if that process died, resume it once its lease has run out` }))
      if (record.status === "suspended" && record.interrupt !== null) {
        const fits = checkAgainstInterrupt(record.interrupt.type, record.interrupt.payload, action, request.data)
        if (Either.isLeft(fits)) return yield* Effect.fail(new InvalidRequest({ message: `${fits.left}; the thread still waits at '${record.interrupt.node}'` }))
      }
      const result = yield* proceed(record, { action, data: request.data ?? null }, request.force === true, options)
      return { result, warnings: [] }
    }, Effect.tapError((e) => (e._tag === "ThreadBusy" || e._tag === "ThreadFinished" ? Metrics.count(Metrics.resumeConflicts, { reason: e._tag }) : Effect.void)))

    const validate = Effect.fn("WorkflowService.validate")((request: ValidateRequest) => builder.validate(request.workflow, request.graph))

    return { execute, resume, validate }
  })
)
