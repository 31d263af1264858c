import { Clock, Context, DateTime, Effect, Layer } from "effect"
import type { Diagnostic } from "../domain/Diagnostic.js"
import { InvalidRequest, type RequestError } from "../domain/Errors.js"
import type { JsonObject } from "../domain/Json.js"
import type { NodeExecution, RunResult } from "../domain/RunResult.js"
import { evaluate } from "../domain/SuccessPolicy.js"
import { Settings } from "../ports/Settings.js"
import { ThreadIds } from "../ports/ThreadIds.js"
import { UserFunctions } from "../ports/UserFunctions.js"
import { WorkflowEngine } from "../ports/WorkflowEngine.js"
import { PlanBuilder, type ValidationReport } from "./PlanBuilder.js"
import type { ExecuteRequest, ValidateRequest } from "./Requests.js"

export interface ExecuteOutcome {
  readonly result: RunResult
  /** Warnings about the workflow that did not stop it (shown on stderr by the CLI). */
  readonly warnings: ReadonlyArray<Diagnostic>
}

/** The orchestration program: every door (CLI, HTTP, embedded, serverless) calls these. */
export class WorkflowService extends Context.Tag("agentmap/WorkflowService")<
  WorkflowService,
  {
    readonly execute: (request: ExecuteRequest) => Effect.Effect<ExecuteOutcome, RequestError>
    readonly validate: (request: ValidateRequest) => Effect.Effect<ValidationReport, RequestError>
  }
>() {}

export const layer = Layer.effect(
  WorkflowService,
  Effect.gen(function* () {
    const builder = yield* PlanBuilder
    const engine = yield* WorkflowEngine
    const settings = yield* Settings
    const threadIds = yield* ThreadIds
    const functions = yield* UserFunctions

    const customPolicy = Effect.gen(function* () {
      const policy = settings.successPolicy
      if (policy._tag !== "Custom") return undefined
      const fn = yield* functions.load(policy.functionName).pipe(
        Effect.mapError(
          (e) => new InvalidRequest({ message: `execution.success_policy: custom function '${policy.functionName}' cannot be used: ${e.message}` })
        )
      )
      return (executions: ReadonlyArray<NodeExecution>) => fn(executions) === true
    })

    const execute = Effect.fn("WorkflowService.execute")(function* (request: ExecuteRequest) {
      const { plan, warnings } = yield* builder.plan(request.workflow, request.graph)
      const custom = yield* customPolicy
      const threadId = request.thread_id ?? (yield* threadIds.next)
      const startedAt = yield* DateTime.now
      const t0 = yield* Clock.currentTimeNanos
      const outcome = yield* engine
        .run(plan, threadId, (request.state ?? {}) as JsonObject)
        .pipe(Effect.annotateLogs({ graph: plan.graph.name, threadId }))
      const durationMs = Number((yield* Clock.currentTimeNanos) - t0) / 1e6
      const endedAt = yield* DateTime.now
      const verdict = evaluate(settings.successPolicy, outcome.executions, custom)
      const status = outcome.status === "failed" || !verdict.ok ? "failed" : "completed"
      const error = outcome.error ?? (verdict.ok ? undefined : { tag: "SuccessPolicyFailed", message: verdict.message })
      const result: RunResult = {
        success: status !== "failed",
        status,
        graph_name: plan.graph.name,
        thread_id: threadId,
        outputs: outcome.state,
        execution_summary: {
          status,
          started_at: DateTime.formatIso(startedAt),
          ended_at: DateTime.formatIso(endedAt),
          duration_ms: Math.round(durationMs * 1000) / 1000,
          node_executions: settings.trackExecutions ? outcome.executions : []
        },
        ...(error !== undefined && status === "failed" ? { error } : {})
      }
      return { result, warnings }
    })

    const validate = Effect.fn("WorkflowService.validate")((request: ValidateRequest) =>
      builder.validate(request.workflow, request.graph)
    )

    return { execute, validate }
  })
)
