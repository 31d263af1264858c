import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { MultitaskStrategy, RunStatus } from "../../../domain/BackgroundRun.js"
import { operation } from "../ApiAccess.js"
import { answers } from "../ApiProblems.js"

const Json = Schema.Record({ key: Schema.String, value: Schema.Unknown })

const IGNORED = [
  "context",
  "checkpoint",
  "checkpoint_id",
  "interrupt_before",
  "interrupt_after",
  "stream_subgraphs",
  "feedback_keys",
  "strict_resume",
  "on_completion",
  "on_disconnect",
  "after_seconds",
  "checkpoint_during",
  "durability",
  "langsmith_tracer"
] as const

export const RUN_CREATE_SHAPE = "{ assistant_id, input?, command?: { resume }, stream_mode?, config?, metadata?, multitask_strategy?, if_not_exists?, webhook? }"

/** What the LangGraph SDK sends to create a run; keys this server does not use (context, checkpoint, interrupt_before, ...) are accepted and ignored. */
export const RunCreateBody = Schema.Struct({
  assistant_id: Schema.String.annotations({ description: "`workflow::Graph` (or a bare workflow: its first graph), the graph id of /execute" }),
  input: Schema.optional(Schema.NullOr(Json)).annotations({ description: "The initial state (a new thread), or new values for a finished thread (it runs again from its last values merged with these)" }),
  command: Schema.optional(Schema.NullOr(Schema.Struct({ resume: Schema.optional(Schema.Unknown) }))).annotations({
    description: "`{ resume: value }` answers the interrupt the thread waits at: `{action, data}` as is, an action word, true/false (approve/reject), or the answer's data"
  }),
  stream_mode: Schema.optional(Schema.Union(Schema.String, Schema.Array(Schema.String))).annotations({ description: "values, updates, messages, messages-tuple, custom, debug (default values)" }),
  config: Schema.optional(Schema.NullOr(Json)),
  metadata: Schema.optional(Schema.NullOr(Json)),
  multitask_strategy: Schema.optional(MultitaskStrategy).annotations({ description: "A run on a thread with a run in progress: reject (409, the default), enqueue (runs after it), interrupt or rollback (cancels it)" }),
  if_not_exists: Schema.optional(Schema.Literal("create", "reject")),
  stream_resumable: Schema.optional(Schema.NullOr(Schema.Boolean)).annotations({
    description: "keep the stream's events (numbered `id`s) so a client that lost the connection rejoins with GET …/runs/{run_id}/stream and `Last-Event-ID` (on the server that runs it)"
  }),
  webhook: Schema.optional(Schema.NullOr(Schema.String)).annotations({ description: "POSTed the run (and the thread's values) when it ends, off the request path, 3 tries" }),
  ...Object.fromEntries(IGNORED.map((key) => [key, Schema.optional(Schema.Unknown).annotations({ description: "accepted for compatibility; not used" })])) as {
    readonly [K in (typeof IGNORED)[number]]: Schema.optional<typeof Schema.Unknown>
  }
})
export type RunCreateBody = typeof RunCreateBody.Type

export const RunBody = Schema.Struct({
  run_id: Schema.String,
  thread_id: Schema.String,
  assistant_id: Schema.String,
  created_at: Schema.String,
  updated_at: Schema.String,
  status: RunStatus,
  metadata: Json,
  kwargs: Json,
  multitask_strategy: MultitaskStrategy
}).annotations({ identifier: "LangGraphRun", description: "A run, as the LangGraph Platform API shows it" })

const Values = Json.annotations({ identifier: "ThreadValues", description: "The thread's state values (the workflow's outputs); `__interrupt__: [{ value, id }]` while it waits; `__error__: { error, message }` when the run failed" })

const LangGraphStream = HttpApiSchema.withEncoding(
  Schema.String.annotations({
    description:
      "Server-Sent Events as the LangGraph SDK reads them: `metadata` ({ run_id, attempt }) first, then per stream mode `values` (the state after each step), `updates` ({ node: update }; `{ __interrupt__: [...] }` when the run suspends), `messages-tuple` → `messages` ([chunk, metadata]) and `messages` → `messages/metadata` + `messages/partial` (model tokens), `custom` (what custom agents emit), `debug` (task and task_result per node); `error` ({ error, message }) when the run fails. The stream ends with the run."
  }),
  { kind: "Text", contentType: "text/event-stream" }
)

const threadPath = Schema.Struct({ thread_id: Schema.String })
const runPath = Schema.Struct({ thread_id: Schema.String, run_id: Schema.String })
const RUN = [400, 404, 409, 413, 422]

const create = <const Name extends string>(name: Name, path: HttpApiEndpoint.PathSegment, summary: string, kind: "wait" | "stream" | "background") =>
  HttpApiEndpoint.post(name, path)
    .setPayload(RunCreateBody)
    .addSuccess(kind === "wait" ? Values : kind === "stream" ? LangGraphStream : RunBody)
    .pipe(
      answers(kind === "background" ? [...RUN, 429] : RUN),
      operation({
        summary,
        description:
          kind === "wait"
            ? `${summary}: waits for the run to end and answers the thread's values (with \`__interrupt__\` when it suspended). A run on a busy thread is 409 (multitask_strategy reject), a second resume of the same interrupt is 409.`
            : kind === "stream"
              ? `${summary}, streamed as Server-Sent Events (LangGraph's stream modes). Errors before the run starts are JSON.`
              : `${summary} in the background: recorded pending and queued; answers the run. A full queue (queue.max_pending) is 429 with Retry-After.`,
        access: "execute"
      })
    )

export const LangGraphRunsGroup = HttpApiGroup.make("langgraphRuns")
  .add(create("waitStateless", "/runs/wait", "Run a graph on a new thread", "wait"))
  .add(create("streamStateless", "/runs/stream", "Run a graph on a new thread", "stream"))
  .add(create("createStateless", "/runs", "Run a graph on a new thread", "background"))
  .add(create("wait", "/threads/:thread_id/runs/wait", "Run a graph on a thread", "wait").setPath(threadPath))
  .add(create("stream", "/threads/:thread_id/runs/stream", "Run a graph on a thread", "stream").setPath(threadPath))
  .add(create("create", "/threads/:thread_id/runs", "Run a graph on a thread", "background").setPath(threadPath))
  .add(
    HttpApiEndpoint.get("list", "/threads/:thread_id/runs")
      .setPath(threadPath)
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.String), offset: Schema.optional(Schema.String), status: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Array(RunBody))
      .pipe(answers([400, 404]), operation({ summary: "List a thread's runs", description: "Newest first; limit (default 10), offset, status", access: "read" }))
  )
  .add(HttpApiEndpoint.get("get", "/threads/:thread_id/runs/:run_id").setPath(runPath).addSuccess(RunBody).pipe(answers([404]), operation({ summary: "Show a run", access: "read" })))
  .add(
    HttpApiEndpoint.get("join", "/threads/:thread_id/runs/:run_id/join")
      .setPath(runPath)
      .addSuccess(Values)
      .pipe(answers([404]), operation({ summary: "Wait for a run", description: "Waits until the run has ended; answers the thread's values", access: "read" }))
  )
  .add(
    HttpApiEndpoint.get("joinStream", "/threads/:thread_id/runs/:run_id/stream")
      .setPath(runPath)
      .addSuccess(LangGraphStream)
      .pipe(answers([404]), operation({ summary: "Join a run's stream", description: "Waits until the run has ended, then streams `metadata` and its final `values`", access: "read" }))
  )
  .add(
    HttpApiEndpoint.post("cancel", "/threads/:thread_id/runs/:run_id/cancel")
      .setPath(runPath)
      .setUrlParams(Schema.Struct({ wait: Schema.optional(Schema.String), action: Schema.optional(Schema.String) }))
      .addSuccess(HttpApiSchema.NoContent)
      .pipe(
        answers([400, 404]),
        operation({
          summary: "Cancel a run",
          description: "Stops the run wherever it runs (a waiting run is dropped, a running one interrupted: it ends `interrupted`); wait=1 answers once it has stopped; action=rollback also deletes the run",
          access: "execute"
        })
      )
  )
  .add(
    HttpApiEndpoint.del("delete", "/threads/:thread_id/runs/:run_id")
      .setPath(runPath)
      .addSuccess(HttpApiSchema.NoContent)
      .pipe(answers([404]), operation({ summary: "Delete a run", description: "Cancels it if it still runs, then deletes its record", access: "execute" }))
  )
  .annotate(OpenApi.Description, "LangGraph Platform API: runs (the official @langchain/langgraph-sdk Client talks to these)")
