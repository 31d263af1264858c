import { Either } from "effect"
import type { RunRecord } from "./BackgroundRun.js"
import type { JsonObject } from "./Json.js"
import type { PendingInterrupt } from "./Thread.js"
import { requestNameProblem } from "./WorkflowName.js"

/**
 * The workflow address an assistant id names: `workflow::Graph` (or a bare `workflow`, its first
 * graph), the address `POST /execute/{...}` takes. The one place assistant ids are resolved.
 */
export const assistantAddress = (assistantId: string): Either.Either<string, string> => {
  const problem = requestNameProblem(assistantId)
  return problem === undefined ? Either.right(assistantId) : Either.left(`assistant_id '${assistantId}': ${problem}`)
}

/** A run as the LangGraph Platform API shows it. */
export const runView = (run: RunRecord) => ({
  run_id: run.run_id,
  thread_id: run.thread_id,
  assistant_id: run.assistant_id,
  created_at: run.created_at,
  updated_at: run.updated_at,
  status: run.status,
  metadata: run.metadata,
  kwargs: run.kwargs,
  multitask_strategy: run.multitask_strategy
})

/** A thread's values as LangGraph returns them: the state, plus `__interrupt__` while it waits. */
export const threadValues = (state: JsonObject, interrupt: PendingInterrupt | null): JsonObject =>
  interrupt === null ? state : { ...state, __interrupt__: [{ value: interrupt.payload as JsonObject, id: interrupt.id }] }

export const FINISHED_RUN: ReadonlyArray<RunRecord["status"]> = ["success", "error", "timeout", "interrupted"]
