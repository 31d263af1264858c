import { HttpApi, HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { RunResult } from "../../domain/RunResult.js"

/** `{ error, message }`: every error response (plus `diagnostics` for an invalid workflow). */
export const ErrorBody = Schema.Struct({
  error: Schema.String,
  message: Schema.String,
  diagnostics: Schema.optional(Schema.Array(Schema.Unknown))
}).annotations({ identifier: "Error" })

/**
 * Documents the error statuses an endpoint answers (always with ErrorBody). The handlers build
 * their responses themselves (handleRaw), so the endpoint's type need not carry the errors.
 */
const errors = <E>(endpoint: E, statuses: ReadonlyArray<number>): E =>
  statuses.reduce(
    (e, status) => (e as unknown as { addError: (s: typeof ErrorBody, o: { status: number }) => E }).addError(ErrorBody, { status }),
    endpoint
  )

export const ExecuteBody = Schema.Struct({
  state: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  thread_id: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9._:-]{1,128}$/)))
}).annotations({ identifier: "ExecuteRequest" })

export const ResumeBody = Schema.Struct({
  action: Schema.optional(Schema.String),
  data: Schema.optional(Schema.Unknown)
}).annotations({ identifier: "ResumeRequest" })

/** The bodies as a caller who sent another key is shown them (readJson refuses keys a body does not have). */
export const EXECUTE_SHAPE = '{"state": {...}, "thread_id"?: "..."}'
export const RESUME_SHAPE = '{"action"?: "approve", "data"?: ...}'

const Result = RunResult.annotations({ identifier: "RunResult" })

const execute = errors(
  HttpApiEndpoint.post("execute", "/execute/*")
    .setPayload(ExecuteBody)
    .addSuccess(Result)
    .annotate(
      OpenApi.Description,
      "Run a graph. Paths: /execute/{workflow}/{graph}, /execute/{workflow::Graph} (sub-folders with literal slashes: /execute/team/sales::Qualify), /execute/{workflow}. A last segment /stream answers with Server-Sent Events: `node` per finished node, `token` while a model streams, then one `completed`, `suspended` or `failed` event carrying the result document. A `thread_id` already taken is 409, except by a retry of the same run (workflow, graph, state, caller) whose server died: once that run's lease ran out, the retry finishes it."
    ),
  [400, 401, 403, 404, 409, 413, 422, 429]
)

const resume = errors(
  HttpApiEndpoint.post("resume", "/resume/*")
    .setPayload(ResumeBody)
    .addSuccess(Result)
    .annotate(OpenApi.Description, "Answer the interrupt a suspended thread waits on (/resume/{thread_id}); 409 when it was already taken."),
  [400, 401, 403, 404, 409, 413, 429]
)

const WorkflowList = Schema.Struct({
  workflows: Schema.Array(Schema.Struct({ name: Schema.String, graphs: Schema.Array(Schema.String), valid: Schema.Boolean }))
}).annotations({ identifier: "WorkflowList" })

export class AgentMapApi extends HttpApi.make("agentmap")
  .add(HttpApiGroup.make("runs").add(execute).add(resume))
  .add(
    HttpApiGroup.make("workflows")
      .add(errors(HttpApiEndpoint.get("list", "/workflows").addSuccess(WorkflowList), [401, 403, 429]))
      .add(
        errors(
          HttpApiEndpoint.get("detail", "/workflows/*")
            .addSuccess(Schema.Unknown)
            .annotate(OpenApi.Description, "A workflow's graphs and nodes: /workflows/{workflow} or /workflows/{workflow::Graph}"),
          [400, 401, 403, 404, 429]
        )
      )
  )
  .add(
    HttpApiGroup.make("threads").add(
      errors(
        HttpApiEndpoint.get("show", "/threads/*").addSuccess(Schema.Unknown).annotate(OpenApi.Description, "A thread's status, pending interrupt and last result (/threads/{thread_id})"),
        [401, 403, 404, 429]
      )
    )
  )
  .add(
    HttpApiGroup.make("system")
      .add(HttpApiEndpoint.get("health", "/health").addSuccess(Schema.Struct({ status: Schema.String, version: Schema.String })))
      .add(errors(HttpApiEndpoint.get("diagnose", "/admin/diagnose").addSuccess(Schema.Unknown), [401, 403, 429]))
  )
  .annotate(OpenApi.Title, "AgentMap")
  .annotate(OpenApi.Description, "Run CSV-defined agent workflows. Authenticate with `X-API-Key: agm_...` or `Authorization: Bearer <API key or JWT>`; /health, /docs and /openapi.json are public.")
  // added to the generated components (an Override would replace them, leaving every $ref to a schema dangling)
  .annotate(OpenApi.Transform, (spec) => ({
    ...spec,
    components: {
      ...(spec["components"] as Record<string, unknown>),
      securitySchemes: {
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        bearer: { type: "http", scheme: "bearer" }
      }
    },
    security: [{ apiKey: [] }, { bearer: [] }]
  })) {}
