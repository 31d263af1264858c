import { Schema } from "effect"

/** The one input vocabulary of the orchestration program; every door decodes into these. */
export const ExecuteRequest = Schema.Struct({
  workflow: Schema.String,
  graph: Schema.optional(Schema.String),
  state: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  thread_id: Schema.optional(Schema.String),
  /** Who starts the run (an API key name or JWT subject); only they (or an admin) may resume it. */
  principal: Schema.optional(Schema.String)
})
export type ExecuteRequest = typeof ExecuteRequest.Type

export const ResumeRequest = Schema.Struct({
  thread_id: Schema.String,
  /** Defaults to `continue`. */
  action: Schema.optional(Schema.String),
  data: Schema.optional(Schema.Unknown),
  /** Resume even though a routing function changed since the thread started. */
  force: Schema.optional(Schema.Boolean)
})
export type ResumeRequest = typeof ResumeRequest.Type

export const ValidateRequest = Schema.Struct({
  workflow: Schema.String,
  graph: Schema.optional(Schema.String)
})
export type ValidateRequest = typeof ValidateRequest.Type
