import { HttpApi, HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { operation } from "./ApiAccess.js"
import {
  DiagnoseBody,
  EventStream,
  ExecuteBody,
  GraphDrawingBody,
  HealthBody,
  HtmlPage,
  MetricsText,
  OpenApiDocument,
  ResumeBody,
  RunResultBody,
  ThreadBody,
  WorkflowDetailBody,
  WorkflowListBody
} from "./ApiBodies.js"
import { answers } from "./ApiProblems.js"
import { completeDocument } from "./OpenApiDocument.js"
import { AssistantsGroup } from "./langgraph/AssistantsApi.js"
import { LangGraphThreadsGroup } from "./langgraph/ThreadsApi.js"
import { LangGraphRunsGroup } from "./langgraph/RunsApi.js"

const SUB_FOLDERS =
  "A workflow in a sub-folder is written with literal slashes (`/execute/team/sales::Qualify`, `/workflows/team/sales`): send such a path as it is, since an encoded separator (`%2F`, which clients make of a slash in a parameter) is refused with 400."

const workflow = Schema.String.annotations({
  description: `A workflow: its file name in the workflow folder without \`.csv\` (\`hello_world\`). ${SUB_FOLDERS}`
})
const address = Schema.String.annotations({
  description: `A workflow (its first graph) or \`workflow::Graph\` (\`approval\`, \`greet::Other\`). ${SUB_FOLDERS}`
})
const graph = Schema.String.annotations({ description: "A graph of the workflow (its GraphName column)" })
const threadId = Schema.String.annotations({ description: "The thread_id of a run's result" })

const RUN = [400, 404, 409, 413, 422]
const runs = <const Name extends string>(name: Name, path: HttpApiEndpoint.PathSegment, summary: string, stream: boolean) =>
  HttpApiEndpoint.post(name, path)
    .setPayload(ExecuteBody)
    .addSuccess(stream ? EventStream : RunResultBody)
    .pipe(
      answers(RUN),
      operation({
        summary,
        description: stream
          ? `${summary}, streamed: a JSON error until the run starts, then Server-Sent Events ending with the result document. A client that disconnects does not cancel the run.`
          : `${summary}. A run that suspends or fails is still a 200 with the result document. A \`thread_id\` already taken is 409, except by a retry of the same run (workflow, graph, state, caller) whose server died: once that run's lease ran out, the retry finishes it.`,
        access: "execute",
        optionalBody: true
      })
    )

/**
 * The forms that a path template cannot hold (a sub-folder workflow: any number of segments)
 * are routed here: hidden from the document, answered by the same handlers.
 */
const hidden = <E extends HttpApiEndpoint.HttpApiEndpoint.Any>(endpoint: E): E =>
  (endpoint as unknown as HttpApiEndpoint.HttpApiEndpoint.AnyWithProps).annotate(OpenApi.Exclude, true) as unknown as E

const graphPath = Schema.Struct({ workflow, graph })
const addressPath = Schema.Struct({ workflow: address })

const Runs = HttpApiGroup.make("runs")
  .add(runs("execute", "/execute/:workflow/:graph", "Run a graph", false).setPath(graphPath))
  .add(runs("executeWorkflow", "/execute/:workflow", "Run a workflow's first graph, or workflow::Graph", false).setPath(addressPath))
  .add(runs("stream", "/execute/:workflow/:graph/stream", "Run a graph", true).setPath(graphPath))
  .add(runs("streamWorkflow", "/execute/:workflow/stream", "Run a workflow's first graph, or workflow::Graph", true).setPath(addressPath))
  .add(HttpApiEndpoint.post("executeAnyPath", "/execute/*").pipe(operation({ summary: "Run (a sub-folder workflow)", access: "execute" }), hidden))
  .add(
    HttpApiEndpoint.post("resume", "/resume/:thread_id")
      .setPath(Schema.Struct({ thread_id: threadId }))
      .setPayload(ResumeBody)
      .addSuccess(RunResultBody)
      .pipe(
        answers([...RUN]),
        operation({
          summary: "Resume a suspended thread",
          description:
            "Answer the interrupt a suspended thread waits on and continue the run; it may suspend again. Answered once: a second resume of the same interrupt is 409, whether the first is still running or has finished.",
          access: "execute",
          optionalBody: true
        })
      )
  )
  .annotate(OpenApi.Description, "Run graphs and resume suspended threads")

const Workflows = HttpApiGroup.make("workflows")
  .add(HttpApiEndpoint.get("list", "/workflows").addSuccess(WorkflowListBody).pipe(operation({ summary: "List the workflows", access: "read" })))
  .add(
    HttpApiEndpoint.get("describe", "/workflows/:workflow")
      .setPath(addressPath)
      .addSuccess(WorkflowDetailBody)
      .pipe(answers([400, 404]), operation({ summary: "Describe a workflow or one graph", description: "A workflow's graphs and nodes, or one graph's (workflow::Graph), with its diagnostics", access: "read" }))
  )
  .add(
    HttpApiEndpoint.get("graph", "/workflows/:workflow/graph")
      .setPath(addressPath)
      .setUrlParams(
        Schema.Struct({
          // decoded as any string: the handler answers an unknown value with the house 400 problem
          format: Schema.optional(
            Schema.String.annotations({ jsonSchema: { type: "string", enum: ["json", "mermaid", "dot"], description: "json (the default), mermaid (a flowchart) or dot (Graphviz); mermaid and dot are answered as text/plain" } })
          ),
          expand: Schema.optional(Schema.String.annotations({ jsonSchema: { type: "string", enum: ["true", "false"], description: "true: draw the graphs that graph nodes run inside the parent" } }))
        })
      )
      .addSuccess(GraphDrawingBody)
      .pipe(
        answers([400, 404]),
        operation({
          summary: "Draw a graph: Mermaid, Graphviz DOT or JSON",
          description:
            "A workflow's first graph, or workflow::Graph, drawn as `agentmap inspect` draws it: the same Mermaid and DOT text as `agentmap inspect NAME --format mermaid|dot` (text/plain), or the JSON document (nodes, edges by kind, entry, terminal nodes, fan-out, joins, validity and diagnostics). An invalid workflow is still drawn from its rows as written. A sub-folder workflow: `/workflows/team/sales/graph`.",
          access: "read",
          alsoText: { contentType: "text/plain", description: "The Mermaid flowchart (format=mermaid) or the Graphviz digraph (format=dot)" }
        })
      )
  )
  .add(HttpApiEndpoint.get("describeAnyPath", "/workflows/*").pipe(operation({ summary: "Describe (a sub-folder workflow)", access: "read" }), hidden))
  .annotate(OpenApi.Description, "The workflow repository")

const Threads = HttpApiGroup.make("threads")
  .add(
    HttpApiEndpoint.get("show", "/threads/:thread_id")
      .setPath(Schema.Struct({ thread_id: threadId }))
      .addSuccess(ThreadBody)
      .pipe(
        answers([400, 404]),
        operation({ summary: "Show a thread", description: "A thread's status, pending interrupt and last result, for the principal that started it (or an admin)", access: "read" })
      )
  )
  .annotate(OpenApi.Description, "Threads: the state of runs")

const System = HttpApiGroup.make("system")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(HealthBody).pipe(operation({ summary: "Health and version", access: "public" })))
  .add(
    HttpApiEndpoint.get("diagnose", "/admin/diagnose")
      .setUrlParams(
        Schema.Struct({
          workflow: Schema.optional(Schema.String.annotations({ description: "also diagnose this workflow (an address as /execute takes it): its agents, providers, host services, durability" })),
          graph: Schema.optional(Schema.String.annotations({ description: "only this graph of the workflow" })),
          probe: Schema.optional(Schema.Literal("true", "false", "1", "0").annotations({ description: "call each configured provider once and start each MCP server to list its tools" }))
        })
      )
      .addSuccess(DiagnoseBody)
      .pipe(
        answers([400, 404]),
        operation({
          summary: "Diagnose the deployment",
          description:
            "The document `agentmap diagnose --json` prints (versions, config file and search order, paths, store, providers, user modules, MCP servers, cache, the checklist with ✔/⚠/✖ and advice, and a workflow's needs with ?workflow=), plus what only a running server knows: pid, uptime, memory, circuit breaker states. Never a secret.",
          access: "admin"
        })
      )
  )
  .add(
    HttpApiEndpoint.get("metrics", "/metrics")
      .addSuccess(MetricsText)
      .pipe(
        operation({
          summary: "Metrics for Prometheus",
          description:
            "This process's metrics in the Prometheus text format: runs by graph and status, run, node, model call and request durations (histograms), node failures, suspensions, resumes and resume conflicts, model calls, tokens, retries and circuit-breaker opens, compile cache hits and misses, HTTP requests by route template and status, active runs and pending interrupts. Public (no credential) when the server's config sets `telemetry.metrics.public: true`.",
          access: "admin"
        })
      )
  )
  .add(HttpApiEndpoint.get("openapi", "/openapi.json").addSuccess(OpenApiDocument).pipe(operation({ summary: "This OpenAPI document", access: "public", gated: false })))
  .add(HttpApiEndpoint.get("docs", "/docs").addSuccess(HtmlPage).pipe(operation({ summary: "API reference (Swagger UI)", access: "public", gated: false })))
  .annotate(OpenApi.Description, "Health, diagnosis, metrics and this documentation")

export class AgentMapApi extends HttpApi.make("agentmap")
  .add(Runs)
  .add(Workflows)
  .add(Threads)
  .add(System)
  .add(AssistantsGroup)
  .add(LangGraphThreadsGroup)
  .add(LangGraphRunsGroup)
  .annotate(OpenApi.Title, "AgentMap")
  .annotate(
    OpenApi.Description,
    "Run CSV-defined agent workflows. Authenticate with `X-API-Key: agm_...` or `Authorization: Bearer <API key or JWT>`; each operation names the permission it needs (read, execute, admin; admin may do everything). /health, /openapi.json and /docs are public. Errors are `{ error, message }`."
  )
  .annotate(OpenApi.License, { name: "MIT", url: "https://opensource.org/licenses/MIT" })
  // relative to this document, so the paths resolve under any prefix the routes are mounted at
  // (an embedding host's, Azure's api/) and behind a path the server does not see (a gateway stage)
  .annotate(OpenApi.Servers, [{ url: ".", description: "This server, where this document is served" }])
  .annotate(OpenApi.Transform, completeDocument) {}
