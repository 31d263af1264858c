import { Clock, Context, Effect, Layer, Option, ParseResult, Schema } from "effect"
import { InvalidRequest, type RequestError } from "../domain/Errors.js"
import type { RunResult } from "../domain/RunResult.js"
import { TriggerPayload, isResume } from "../domain/TriggerPayload.js"
import { requestNameProblem } from "../domain/WorkflowName.js"
import { IdempotencyStore } from "../ports/IdempotencyStore.js"
import { Settings } from "../ports/Settings.js"
import { ThreadRegistry } from "../ports/ThreadRegistry.js"
import { WorkflowService } from "./WorkflowService.js"

/** How one trigger delivery ended: a result (completed, suspended or failed), or a redelivery of one still running. */
export type Delivery = { readonly _tag: "Result"; readonly result: RunResult; readonly duplicate: boolean } | { readonly _tag: "InProgress" }

/** Non-HTTP triggers (queues, schedules, storage and stream events): payload in, result out, once per message. */
export class TriggerService extends Context.Tag("agentmap/TriggerService")<
  TriggerService,
  {
    /** Decodes a payload (run or resume) with the rules of §9: unknown shapes and unsafe names are InvalidRequest. */
    readonly decode: (payload: unknown) => Effect.Effect<TriggerPayload, InvalidRequest>
    /** Runs a decoded payload; with a message id, a redelivery returns the first result instead of running again. */
    readonly deliver: (payload: TriggerPayload, messageId: string | undefined) => Effect.Effect<Delivery, RequestError>
  }
>() {}

export const layer = Layer.effect(
  TriggerService,
  Effect.gen(function* () {
    const workflows = yield* WorkflowService
    const idempotency = yield* IdempotencyStore
    const settings = yield* Settings
    const registry = yield* ThreadRegistry

    const decode = (payload: unknown) =>
      Schema.decodeUnknown(TriggerPayload)(payload).pipe(
        Effect.mapError(
          (e) =>
            new InvalidRequest({
              message: `the payload is neither { workflow, graph?, state? } nor { action: "resume", thread_id, response_action?, response_data? }: ${ParseResult.TreeFormatter.formatErrorSync(e).replace(/\s+/g, " ")}`
            })
        ),
        Effect.filterOrFail(
          (p) => isResume(p) || requestNameProblem(p.workflow) === undefined,
          (p) => new InvalidRequest({ message: `workflow '${isResume(p) ? "" : p.workflow}': ${isResume(p) ? "" : requestNameProblem(p.workflow)}` })
        )
      )

    const run = (payload: TriggerPayload) =>
      isResume(payload)
        ? workflows.resume({
            thread_id: payload.thread_id,
            ...(payload.response_action !== undefined ? { action: payload.response_action } : {}),
            ...(payload.response_data !== undefined ? { data: payload.response_data } : {})
          })
        : workflows.execute({
            workflow: payload.workflow,
            ...(payload.graph !== undefined ? { graph: payload.graph } : {}),
            ...(payload.state !== undefined ? { state: payload.state } : {}),
            ...(payload.thread_id !== undefined ? { thread_id: payload.thread_id } : {})
          })

    /** Whether the thread a payload names was interrupted: running, but its process died (lease expired). */
    const interrupted = (payload: TriggerPayload, now: number) =>
      payload.thread_id === undefined
        ? Effect.succeed(false)
        : Effect.map(registry.get(payload.thread_id), (found) =>
            Option.isSome(found) && found.value.status === "running" && (found.value.lease_expires_at ?? 0) <= now
          )

    const deliver = (payload: TriggerPayload, messageId: string | undefined): Effect.Effect<Delivery, RequestError> =>
      Effect.gen(function* () {
        if (messageId === undefined) return { _tag: "Result", result: (yield* run(payload)).result, duplicate: false } as const
        const now = yield* Clock.currentTimeMillis
        const claimed = yield* idempotency.claim(messageId, now, settings.leaseMillis * 2)
        if (claimed._tag === "Done") return { _tag: "Result", result: claimed.result, duplicate: true } as const
        // a redelivery while the first delivery runs counts as done; if the thread it runs was interrupted, that delivery died: run it again
        const redelivered = claimed._tag === "Running"
        if (redelivered && !(yield* interrupted(payload, now))) return { _tag: "InProgress" } as const
        const outcome = yield* Effect.either(run(payload))
        if (outcome._tag === "Left") {
          // another redelivery took the interrupted thread over first: it is that one's run now
          if (redelivered && outcome.left._tag === "ThreadBusy") return { _tag: "InProgress" } as const
          // the platform retries or dead-letters a failed delivery: let the retry run it
          yield* Effect.ignore(idempotency.release(messageId))
          return yield* Effect.fail(outcome.left)
        }
        yield* idempotency.complete(messageId, outcome.right.result)
        return { _tag: "Result", result: outcome.right.result, duplicate: false } as const
      })

    return { decode, deliver }
  })
)
