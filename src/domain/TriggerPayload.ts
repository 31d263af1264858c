import { Schema } from "effect"

/**
 * What a non-HTTP trigger carries (contract §9): a queue message body, Pub/Sub data, an
 * EventBridge `detail`, or what a `triggers` mapping makes of a storage or stream event.
 */
export const RunPayload = Schema.Struct({
  workflow: Schema.String.pipe(Schema.minLength(1)),
  graph: Schema.optional(Schema.String),
  state: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  thread_id: Schema.optional(Schema.String)
})
export type RunPayload = typeof RunPayload.Type

export const ResumePayload = Schema.Struct({
  action: Schema.Literal("resume"),
  thread_id: Schema.String.pipe(Schema.minLength(1)),
  response_action: Schema.optional(Schema.String),
  response_data: Schema.optional(Schema.Unknown)
})
export type ResumePayload = typeof ResumePayload.Type

export const TriggerPayload = Schema.Union(ResumePayload, RunPayload)
export type TriggerPayload = typeof TriggerPayload.Type

export const isResume = (p: TriggerPayload): p is ResumePayload => "action" in p && p.action === "resume"
