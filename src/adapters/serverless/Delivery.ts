import { Effect, Exit } from "effect"
import { TriggerService } from "../../application/TriggerService.js"
import type { RunResult } from "../../domain/RunResult.js"
import { type Container, type Problem, startProblem } from "./Runtime.js"

/** How one message, record or event ended. */
export type Outcome =
  | { readonly _tag: "Result"; readonly result: RunResult; readonly duplicate: boolean }
  /** A redelivery while the first delivery still runs: done as far as the platform is concerned. */
  | { readonly _tag: "InProgress" }
  | { readonly _tag: "Failed"; readonly problem: Problem }

/** Something an event carried, before it is known to be a payload. */
export type Carried = { readonly _tag: "Payload"; readonly value: unknown } | { readonly _tag: "Unusable"; readonly problem: Problem }

export const payload = (value: unknown): Carried => ({ _tag: "Payload", value })
export const unusable = (error: string, message: string): Carried => ({ _tag: "Unusable", problem: { error, message } })

/** A message body as JSON: too large or malformed is unusable (the platform retries, then dead-letters it). */
export const jsonBody = (text: string, maxBytes: number, what = "the message body"): Carried => {
  if (Buffer.byteLength(text, "utf8") > maxBytes) return unusable("PayloadTooLarge", `${what} is larger than ${maxBytes} bytes (http.max_body_bytes)`)
  try {
    return payload(JSON.parse(text) as unknown)
  } catch (e) {
    return unusable("BadRequest", `${what} is not JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** Decodes and runs a payload, once per message id (undefined: no redelivery protection). */
export const deliver = async (container: Container, carried: Carried, messageId: string | undefined, correlationId: string): Promise<Outcome> => {
  if (carried._tag === "Unusable") {
    await container.log("error", `${messageId ?? "event"}: ${carried.problem.message}`, correlationId)
    return { _tag: "Failed", problem: carried.problem }
  }
  const exit = await container.run(
    Effect.flatMap(TriggerService, (triggers) => Effect.flatMap(triggers.decode(carried.value), (p) => triggers.deliver(p, messageId))),
    correlationId,
    messageId
  )
  if (Exit.isSuccess(exit)) {
    const d = exit.value
    return d._tag === "InProgress" ? d : { _tag: "Result", result: d.result, duplicate: d.duplicate }
  }
  const problem = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : { error: "InternalError", message: "internal error" }
  await container.log("error", `${messageId ?? "event"}: ${problem.error}: ${problem.message}`, correlationId)
  return { _tag: "Failed", problem }
}

/** One entry of a batch's `results`. */
export const resultEntry = (itemIdentifier: string, outcome: Outcome) =>
  outcome._tag === "Result"
    ? { itemIdentifier, result: outcome.result, ...(outcome.duplicate ? { duplicate: true } : {}) }
    : outcome._tag === "InProgress"
      ? { itemIdentifier, in_progress: true }
      : { itemIdentifier, error: outcome.problem }

/** A single event's answer: the result document; a failure throws so the platform retries or dead-letters it. */
export const single = (outcome: Outcome, correlationId: string) => {
  if (outcome._tag === "Failed") throw new DeliveryFailed(outcome.problem, correlationId)
  return outcome._tag === "Result"
    ? { ...outcome.result, correlation_id: correlationId, ...(outcome.duplicate ? { duplicate: true } : {}) }
    : { in_progress: true, correlation_id: correlationId }
}

/** What a single-event handler throws: the platform logs it and retries or dead-letters the event. */
export class DeliveryFailed extends Error {
  constructor(
    readonly problem: Problem,
    readonly correlationId: string
  ) {
    super(`${problem.error}: ${problem.message} (correlation id ${correlationId})`)
    this.name = "DeliveryFailed"
    // an expected outcome the platform prints: the message says it all, frames of a minified bundle say nothing
    this.stack = `${this.name}: ${this.message}`
  }
}

/** The container for an event delivery; one that cannot start fails the delivery, so the platform retries it. */
export const containerForDelivery = (container: (correlationId: string) => Promise<Container>, correlationId: string): Promise<Container> =>
  container(correlationId).catch((e: unknown) => {
    throw new DeliveryFailed(startProblem(e), correlationId)
  })

/** Runs `work` over items with at most `limit` at a time, keeping their order in the answer. */
export const mapLimit = async <A, B>(items: ReadonlyArray<A>, limit: number, work: (item: A) => Promise<B>): Promise<Array<B>> => {
  const out = new Array<B>(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await work(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  return out
}
