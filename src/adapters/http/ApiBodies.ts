import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { Diagnostic } from "../../domain/Diagnostic.js"
import { MAX_RESUME_BYTES, RESUME_ACTIONS } from "../../domain/Resume.js"
import { Interrupt, RunResult } from "../../domain/RunResult.js"
import { ThreadRecord } from "../../domain/Thread.js"

/** Request bodies. Any key they do not have is a 400 that names it (Body.ts), hence no additional properties. */
export const ExecuteBody = Schema.Struct({
  state: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({ description: "The initial state; the workflow's Input_Fields read from it" })),
  thread_id: Schema.optional(
    Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9._:-]{1,128}$/)).annotations({ description: "Choose the run's thread id (refused with 409 when it is taken)" })
  )
}).annotations({ identifier: "ExecuteRequest", description: "An empty body runs with no state" })

export const ResumeBody = Schema.Struct({
  // decoded as any string: an unknown action is refused by the service with a message listing the actions
  action: Schema.optional(
    Schema.String.annotations({
      jsonSchema: { type: "string", enum: RESUME_ACTIONS, description: "What to answer the interrupt with (default continue)" }
    })
  ),
  data: Schema.optional(Schema.Unknown.annotations({ description: `Data for the suspended node, e.g. { "text": "..." } or { "choice": 2 } (at most ${MAX_RESUME_BYTES / 1024} KiB as JSON)` }))
}).annotations({ identifier: "ResumeRequest", description: "An empty body resumes with the action continue" })

/** The bodies as a caller who sent another key is shown them (readJson refuses keys a body does not have). */
export const EXECUTE_SHAPE = '{"state": {...}, "thread_id"?: "..."}'
export const RESUME_SHAPE = '{"action"?: "approve", "data"?: ...}'

/** Every JSON object a route answers 200 with carries the request's correlation id (also in the x-correlation-id header). */
const correlated = <F extends Schema.Struct.Fields>(fields: F) =>
  Schema.Struct({ ...fields, correlation_id: Schema.String.annotations({ description: "Ties the response to the server's log lines (the x-correlation-id header carries it too)" }) })

export const RunResultBody = correlated(RunResult.fields).annotations({
  identifier: "RunResult",
  description: "The result document: completed, suspended (with interrupt and thread_id to resume) or failed (a run that ends failed is still a 200)"
})

export const ThreadBody = correlated({
  thread_id: ThreadRecord.fields.thread_id,
  workflow: Schema.NullOr(Schema.String),
  graph: Schema.NullOr(Schema.String),
  status: Schema.Literal(...ThreadRecord.fields.status.literals, "idle"),
  interrupt: Schema.NullOr(Interrupt),
  created_at: ThreadRecord.fields.created_at,
  updated_at: ThreadRecord.fields.updated_at,
  result: Schema.NullOr(RunResult),
  // the LangGraph Thread's fields
  metadata: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  values: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  interrupts: Schema.Record({ key: Schema.String, value: Schema.Array(Schema.Struct({ value: Schema.Unknown, id: Schema.String })) })
}).annotations({ identifier: "Thread", description: "A thread's status, the interrupt it waits on and its last result" })

export const WorkflowListBody = correlated({
  workflows: Schema.Array(Schema.Struct({ name: Schema.String, graphs: Schema.Array(Schema.String), valid: Schema.Boolean }))
}).annotations({ identifier: "WorkflowList", description: "The repository's workflows with their graphs; an invalid one is answered 422 by /execute" })

const GraphDetail = Schema.Struct({
  workflow: Schema.String,
  graph: Schema.String,
  entry: Schema.String,
  nodes: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      agent_type: Schema.String,
      description: Schema.String,
      prompt: Schema.String,
      inputs: Schema.Array(Schema.String),
      outputs: Schema.Array(Schema.String),
      next: Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Array(Schema.String)) })
    })
  )
}).annotations({ identifier: "GraphDetail" })

export const WorkflowDetailBody = correlated({ workflow: Schema.String, graphs: Schema.Array(GraphDetail), diagnostics: Schema.Array(Diagnostic) }).annotations({
  identifier: "WorkflowDetail",
  description: "A workflow's graphs (or the one graph named) with their nodes, and its diagnostics"
})

const DrawnNode = Schema.Struct({
  name: Schema.String,
  agent: Schema.String.annotations({ description: "The agent type as written (empty for a node that is not defined)" }),
  description: Schema.String,
  inputs: Schema.Array(Schema.String),
  outputs: Schema.Array(Schema.String),
  function: Schema.optional(Schema.String.annotations({ description: "The routing function that decides where to go" })),
  dynamic: Schema.Boolean.annotations({ description: "Chooses its successor at run time (an orchestrator, a routing function with no declared targets)" }),
  subgraph: Schema.optional(Schema.String.annotations({ description: "The graph a graph node runs, as written (review.csv::Review)" })),
  missing: Schema.Boolean.annotations({ description: "Named by a routing cell but defined by no row (the workflow is invalid)" })
}).annotations({ identifier: "DrawnNode" })

const DrawnEdge = Schema.Struct({
  from: Schema.String,
  to: Schema.String,
  kind: Schema.String.annotations({ description: "edge, success, failure or func:NAME" }),
  parallel: Schema.Boolean.annotations({ description: "One of several targets started at once (a fan-out)" })
}).annotations({ identifier: "DrawnEdge" })

export interface GraphDrawing {
  readonly workflow: string
  readonly graph: string
  readonly entry: string
  readonly nodes: ReadonlyArray<typeof DrawnNode.Type>
  readonly edges: ReadonlyArray<typeof DrawnEdge.Type>
  readonly terminal: ReadonlyArray<string>
  readonly fan_out: ReadonlyArray<{ readonly node: string; readonly targets: ReadonlyArray<string> }>
  readonly joins: ReadonlyArray<string>
  readonly subgraphs: ReadonlyArray<{ readonly node: string; readonly ref: string; readonly expanded?: GraphDrawing | undefined; readonly error?: string | undefined }>
}

const drawingFields = {
  workflow: Schema.String,
  graph: Schema.String,
  entry: Schema.String,
  nodes: Schema.Array(DrawnNode),
  edges: Schema.Array(DrawnEdge),
  terminal: Schema.Array(Schema.String).annotations({ description: "Nodes after which the graph can end" }),
  fan_out: Schema.Array(Schema.Struct({ node: Schema.String, targets: Schema.Array(Schema.String) })).annotations({ description: "Nodes that start several nodes at once" }),
  joins: Schema.Array(Schema.String).annotations({ description: "Nodes where parallel branches meet (run once, after every branch)" }),
  subgraphs: Schema.Array(
    Schema.Struct({
      node: Schema.String,
      ref: Schema.String,
      expanded: Schema.optional(Schema.suspend((): Schema.Schema<GraphDrawing> => GraphDrawingSchema)),
      error: Schema.optional(Schema.String)
    })
  ).annotations({ description: "With expand=true: the graphs that graph nodes run, drawn, or why one could not be" })
}

const GraphDrawingSchema: Schema.Schema<GraphDrawing> = Schema.Struct(drawingFields).annotations({ identifier: "GraphDrawing", description: "A graph drawn (nodes, edges, entry, terminal nodes, fan-out, joins)" })

export const GraphDrawingBody = correlated({
  ...drawingFields,
  valid: Schema.Boolean.annotations({ description: "false: the workflow has errors (a run is refused with 422); it is drawn from its rows as written" }),
  diagnostics: Schema.Array(Diagnostic)
}).annotations({ identifier: "GraphDrawingDocument", description: "A graph as `agentmap inspect --format json` prints it, with its validity and diagnostics" })

export const HealthBody = correlated({ status: Schema.Literal("ok"), version: Schema.String }).annotations({ identifier: "Health", description: "The server is up; version is the package's" })

const DiagnosisCheck = Schema.Struct({
  section: Schema.String,
  name: Schema.String,
  status: Schema.Literal("ok", "warn", "error"),
  detail: Schema.String,
  advice: Schema.optional(Schema.String)
}).annotations({ identifier: "DiagnosisCheck", description: "One line of the checklist: ok ✔, warn ⚠ (optional), error ✖; every warn and error has one line of advice" })

export const DiagnoseBody = Schema.Struct(
  {
    status: Schema.Literal("ok", "warn", "error"),
    version: Schema.String,
    node: Schema.String,
    versions: Schema.Struct({ agentmap: Schema.String, node: Schema.String, langgraph: Schema.String }),
    pid: Schema.Number,
    uptime_s: Schema.Number,
    persistence: Schema.Struct(
      { backend: Schema.String, store: Schema.String, reachable: Schema.Boolean, durable: Schema.Boolean, error: Schema.optional(Schema.String) },
      Schema.Record({ key: Schema.String, value: Schema.Unknown })
    ),
    workflows: Schema.Union(Schema.Struct({ count: Schema.Number, invalid: Schema.Array(Schema.String) }), Schema.Struct({ error: Schema.String })),
    checks: Schema.Array(DiagnosisCheck),
    circuits: Schema.Record({ key: Schema.String, value: Schema.Struct({ state: Schema.Literal("closed", "open", "half_open"), failures: Schema.Number }) }),
    metrics: Schema.Struct({
      runs: Schema.Struct({ total: Schema.Number, completed: Schema.Number, failed: Schema.Number, suspended: Schema.Number }),
      resumes: Schema.Number,
      resume_conflicts: Schema.Number,
      active_runs: Schema.Number,
      pending_interrupts: Schema.Number,
      nodes: Schema.Struct({ executions: Schema.Number, failures: Schema.Number }),
      llm: Schema.Struct({ calls: Schema.Number, failed: Schema.Number, retries: Schema.Number, circuit_opens: Schema.Number, input_tokens: Schema.Number, output_tokens: Schema.Number }),
      cache: Schema.Struct({ hits: Schema.Number, misses: Schema.Number, hit_rate: Schema.NullOr(Schema.Number) }),
      http: Schema.Struct({ requests: Schema.Number, by_class: Schema.Record({ key: Schema.String, value: Schema.Number }) })
    }).annotations({ description: "This process's metrics since it started, summed over their labels (GET /metrics has them by label); also as the `metrics` lines of the checklist" }),
    correlation_id: Schema.String
  },
  // config, paths, llm, modules, mcp, cache, memory, workflow (with ?workflow=) and the deployment's settings, never a secret
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
).annotations({ identifier: "Diagnosis", description: "The agentmap diagnose document plus what a running server knows (no secrets)" })

export const EventStream = HttpApiSchema.withEncoding(
  Schema.String.annotations({
    description:
      "Server-Sent Events, each with an event field: `node` (data { node, update, duration_ms }) when a node finishes, `token` (data { node, text }) while a model streams, `tool` (data { node, name, args, result | error }) per tool call, `custom` (data { node, data }) per `ctx.emit` of a custom agent, then exactly one `completed`, `suspended` or `failed` whose data is the RunResult; `: heartbeat` comment lines while idle. The server closes the stream after the final event."
  }),
  { kind: "Text", contentType: "text/event-stream" }
)

export const HtmlPage = HttpApiSchema.withEncoding(Schema.String.annotations({ description: "Swagger UI for this document, served with its files by AgentMap (no CDN)" }), {
  kind: "Text",
  contentType: "text/html"
})

export const MetricsText = HttpApiSchema.withEncoding(
  Schema.String.annotations({ description: "Prometheus text exposition format 0.0.4 (`text/plain; version=0.0.4`): every `agentmap_*` metric with HELP and TYPE lines" }),
  { kind: "Text", contentType: "text/plain" }
)

export const OpenApiDocument = Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({ description: "This OpenAPI 3.1 document" })
