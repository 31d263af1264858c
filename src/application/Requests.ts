import { Schema } from "effect"

/** The one input vocabulary of the orchestration program; every door decodes into these. */
export const ExecuteRequest = Schema.Struct({
  workflow: Schema.String,
  graph: Schema.optional(Schema.String),
  state: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  thread_id: Schema.optional(Schema.String)
})
export type ExecuteRequest = typeof ExecuteRequest.Type

export const ValidateRequest = Schema.Struct({
  workflow: Schema.String,
  graph: Schema.optional(Schema.String)
})
export type ValidateRequest = typeof ValidateRequest.Type
