import { Schema } from "effect"

export const RunStatus = Schema.Literal("completed", "suspended", "failed")
export type RunStatus = typeof RunStatus.Type

export const LlmUsage = Schema.Struct({
  provider: Schema.String,
  model: Schema.String,
  input_tokens: Schema.Number,
  output_tokens: Schema.Number
})

/** One tool call a node made (a tool agent, or a model's tool-calling loop): its arguments and result or error. */
export const ToolCallRecord = Schema.Struct({
  name: Schema.String,
  args: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  result: Schema.optional(Schema.Unknown),
  error: Schema.optional(Schema.String)
})
export type ToolCallRecord = typeof ToolCallRecord.Type

/** One node run, as execution tracking records it. `success` is false only when the node raised. */
export const NodeExecution = Schema.Struct({
  node: Schema.String,
  agent_type: Schema.String,
  success: Schema.Boolean,
  started_at: Schema.String,
  duration_ms: Schema.Number,
  error: Schema.optional(Schema.String),
  llm: Schema.optional(LlmUsage),
  tools: Schema.optional(Schema.Array(ToolCallRecord))
})
export type NodeExecution = typeof NodeExecution.Type

export const ExecutionSummary = Schema.Struct({
  status: RunStatus,
  started_at: Schema.String,
  ended_at: Schema.String,
  duration_ms: Schema.Number,
  node_executions: Schema.Array(NodeExecution)
})
export type ExecutionSummary = typeof ExecutionSummary.Type

export const Interrupt = Schema.Struct({
  node: Schema.String,
  type: Schema.String,
  payload: Schema.Unknown
})
export type Interrupt = typeof Interrupt.Type

export const RunError = Schema.Struct({ tag: Schema.String, message: Schema.String })
export type RunError = typeof RunError.Type

/** The one result document every door returns (contract §3). */
export const RunResult = Schema.Struct({
  success: Schema.Boolean,
  status: RunStatus,
  graph_name: Schema.String,
  thread_id: Schema.String,
  outputs: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  execution_summary: ExecutionSummary,
  interrupt: Schema.optional(Interrupt),
  error: Schema.optional(RunError),
  /** The trace of this run leg (32 hex digits): with telemetry on, the id the collector shows; otherwise the id its log lines carry. */
  trace_id: Schema.optional(Schema.String.annotations({ description: "the trace id of this run (the `agentmap.run` span's trace; look it up in the tracing backend when telemetry is on, or grep the logs for it)" })),
  /** The `agentmap.run` span of this leg: a resume links its own run span to it. */
  span_id: Schema.optional(Schema.String.annotations({ description: "the span id of this run's `agentmap.run` span (a later resume's run span links to it)" }))
})
export type RunResult = typeof RunResult.Type
