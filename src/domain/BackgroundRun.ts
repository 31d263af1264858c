import { Schema } from "effect"

/**
 * A run of the LangGraph Platform API: one leg of a thread (a start, or a `command.resume` that
 * answers its interrupt), executed inline (`/runs/wait`, `/runs/stream`) or in the background by
 * whichever worker takes its job off the shared queue. Statuses are LangGraph's words.
 */
export const RunStatus = Schema.Literal("pending", "running", "success", "error", "timeout", "interrupted")
export type RunStatus = typeof RunStatus.Type

export const MultitaskStrategy = Schema.Literal("reject", "enqueue", "interrupt", "rollback")
export type MultitaskStrategy = typeof MultitaskStrategy.Type

/** What the run was asked to do, as the API received it (kept so any worker can execute it). */
export const RunKwargs = Schema.Struct({
  input: Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  /** `{ resume: value }` answers the thread's pending interrupt. */
  command: Schema.NullOr(Schema.Struct({ resume: Schema.optional(Schema.Unknown) })),
  stream_mode: Schema.Array(Schema.String),
  config: Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  webhook: Schema.NullOr(Schema.String)
})
export type RunKwargs = typeof RunKwargs.Type

export const RunRecord = Schema.Struct({
  run_id: Schema.String,
  thread_id: Schema.String,
  assistant_id: Schema.String,
  status: RunStatus,
  metadata: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  kwargs: RunKwargs,
  multitask_strategy: MultitaskStrategy,
  principal: Schema.NullOr(Schema.String),
  created_at: Schema.String,
  updated_at: Schema.String,
  /** Error text of a run that ended `error`. */
  error: Schema.NullOr(Schema.String)
})
export type RunRecord = typeof RunRecord.Type
