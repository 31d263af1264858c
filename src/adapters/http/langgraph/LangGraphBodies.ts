import type { HttpServerRequest } from "@effect/platform"
import { Effect, ParseResult, Schema } from "effect"
import { fail } from "../Problems.js"

const Json = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const Int = Schema.Int.pipe(Schema.nonNegative())
const SortOrder = Schema.Literal("asc", "desc")

/** Bodies of the LangGraph API as the SDK sends them: keys AgentMap does not act on are accepted and ignored. */
export const AssistantSearch = Schema.Struct({
  graph_id: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String),
  metadata: Schema.optional(Json),
  limit: Schema.optional(Int),
  offset: Schema.optional(Int),
  sort_by: Schema.optional(Schema.String),
  sort_order: Schema.optional(SortOrder),
  select: Schema.optional(Schema.Array(Schema.String))
}).annotations({ identifier: "AssistantSearch" })

export const ThreadCreate = Schema.Struct({
  thread_id: Schema.optional(Schema.String),
  metadata: Schema.optional(Json),
  if_exists: Schema.optional(Schema.Literal("raise", "do_nothing")),
  supersteps: Schema.optional(Schema.Unknown),
  ttl: Schema.optional(Schema.Unknown)
}).annotations({ identifier: "ThreadCreate" })

export const ThreadPatch = Schema.Struct({ metadata: Schema.optional(Json), ttl: Schema.optional(Schema.Unknown) }).annotations({ identifier: "ThreadPatch" })

export const ThreadSearch = Schema.Struct({
  metadata: Schema.optional(Json),
  ids: Schema.optional(Schema.Array(Schema.String)),
  status: Schema.optional(Schema.String.annotations({ description: "idle|busy|interrupted|error, or AgentMap's completed|running|suspended|failed" })),
  limit: Schema.optional(Int),
  offset: Schema.optional(Int),
  sort_by: Schema.optional(Schema.Literal("thread_id", "status", "created_at", "updated_at")),
  sort_order: Schema.optional(SortOrder),
  values: Schema.optional(Schema.Unknown),
  select: Schema.optional(Schema.Unknown),
  extract: Schema.optional(Schema.Unknown)
}).annotations({ identifier: "ThreadSearch" })

export const StateUpdate = Schema.Struct({
  values: Schema.optional(Schema.NullOr(Json)),
  as_node: Schema.optional(Schema.String),
  checkpoint: Schema.optional(Schema.Unknown),
  checkpoint_id: Schema.optional(Schema.String)
}).annotations({ identifier: "ThreadStateUpdate" })

export const HistoryQuery = Schema.Struct({
  limit: Schema.optional(Int),
  before: Schema.optional(Schema.Unknown),
  metadata: Schema.optional(Json),
  checkpoint: Schema.optional(Schema.Unknown),
  select: Schema.optional(Schema.Unknown)
}).annotations({ identifier: "ThreadHistoryQuery" })

/** The JSON body decoded with `schema` (other keys ignored); empty means `{}`; 400 / 413 as the other routes answer. */
export const readBody = <A, I>(request: HttpServerRequest.HttpServerRequest, schema: Schema.Schema<A, I>, maxBytes: number, correlationId: string) =>
  Effect.gen(function* () {
    const headers = { "x-correlation-id": correlationId }
    const text = yield* Effect.mapError(request.text, () => fail("BadRequest", "the request body could not be read", headers))
    if (Buffer.byteLength(text) > maxBytes) return yield* Effect.fail(fail("PayloadTooLarge", `the request body is larger than ${maxBytes} bytes (http.max_body_bytes)`, headers))
    const parsed = yield* Effect.try({
      try: () => (text.trim() === "" ? {} : (JSON.parse(text) as unknown)),
      catch: (e) => fail("BadRequest", `malformed JSON body: ${e instanceof Error ? e.message : String(e)}`, headers)
    })
    return yield* Schema.decodeUnknown(schema, { onExcessProperty: "ignore" })(parsed).pipe(
      Effect.mapError((e) => fail("BadRequest", `invalid request body: ${ParseResult.TreeFormatter.formatErrorSync(e).replace(/\s+/g, " ")}`, headers))
    )
  })

/** Response documents (described loosely: their values are the workflow's own). */
export const AssistantBody = Schema.Struct({
  assistant_id: Schema.String,
  graph_id: Schema.String,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  config: Json,
  context: Json,
  metadata: Json,
  version: Schema.Number,
  created_at: Schema.String,
  updated_at: Schema.String
}).annotations({ identifier: "Assistant", description: "One graph of the repository: assistant_id = graph_id = workflow::Graph (its UUID is metadata.assistant_uuid)" })

export const GraphBody = Schema.Struct({
  nodes: Schema.Array(Schema.Struct({ id: Schema.String, type: Schema.String, data: Schema.Unknown })),
  edges: Schema.Array(Schema.Struct({ source: Schema.String, target: Schema.String, conditional: Schema.Boolean, data: Schema.optional(Schema.String) }))
}).annotations({ identifier: "AssistantGraph" })

export const SchemasBody = Schema.Struct({
  graph_id: Schema.String,
  input_schema: Json,
  output_schema: Json,
  state_schema: Json,
  config_schema: Json,
  context_schema: Json
}).annotations({ identifier: "AssistantSchemas" })

export const LangGraphThreadBody = Schema.Struct({
  thread_id: Schema.String,
  created_at: Schema.String,
  updated_at: Schema.String,
  metadata: Json,
  status: Schema.String.annotations({ description: "AgentMap's running|suspended|completed|failed, or idle for a thread with no run" }),
  values: Json,
  interrupts: Schema.Record({ key: Schema.String, value: Schema.Array(Schema.Unknown) })
}).annotations({ identifier: "LangGraphThread" })

export const ThreadStateBody = Schema.Struct({
  values: Json,
  next: Schema.Array(Schema.String),
  tasks: Schema.Array(Schema.Unknown),
  checkpoint: Json,
  metadata: Json,
  created_at: Schema.String,
  parent_checkpoint: Schema.NullOr(Json),
  interrupts: Schema.Array(Schema.Unknown)
}).annotations({ identifier: "ThreadState" })

export const CheckpointBody = Schema.Struct({ checkpoint: Json, configurable: Json }).annotations({ identifier: "ThreadStateWritten" })
