import { HttpApiBuilder, type HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Either, Layer, Metric } from "effect"
import { GraphInspector } from "../../application/GraphInspector.js"
import { LangGraphThreads } from "../../application/LangGraphThreads.js"
import { threadDocument } from "../../application/LangGraphThreadView.js"
import { WorkflowCatalog } from "../../application/WorkflowCatalog.js"
import { WorkflowService } from "../../application/WorkflowService.js"
import { CheckpointStore } from "../../ports/CheckpointStore.js"
import { LanguageModels } from "../../ports/LanguageModels.js"
import { ThreadRegistry } from "../../ports/ThreadRegistry.js"
import { CONTENT_TYPE } from "../metrics/PrometheusText.js"
import { summarize, summaryChecks } from "../metrics/MetricsSummary.js"
import { prometheusText, refreshGauges } from "../metrics/Scrape.js"
import { Diagnosis } from "../diagnose/Diagnosis.js"
import type { AgentMapApi } from "./Api.js"
import { type Access, accessOf } from "./ApiAccess.js"
import { EXECUTE_SHAPE, ExecuteBody, RESUME_SHAPE, ResumeBody } from "./ApiBodies.js"
import { readJson } from "./Body.js"
import { docsPage } from "./DocsPage.js"
import { drawing } from "./GraphDrawing.js"
import { type Caller, makeGate } from "./Gate.js"
import { HttpSettings } from "./HttpSettings.js"
import { executeTarget, tail, threadTarget, workflowTarget } from "./Paths.js"
import { fail } from "./Problems.js"
import { ok, respond } from "./Respond.js"
import { streamRun } from "./Sse.js"
import { AssistantsLive } from "./langgraph/AssistantsHandlers.js"
import { LangGraphThreadsLive } from "./langgraph/ThreadsHandlers.js"
import { LangGraphRunsLive } from "./langgraph/RunsHandlers.js"

const started = Date.now()

/** The API, possibly under a prefix: handlers are built for the exact API value they serve. */
type Api = typeof AgentMapApi

/** A path parameter, or a 400 naming what was wrong with it. */
const param = <A>(parsed: Either.Either<A, string>, caller: Caller) =>
  Either.match(parsed, {
    onLeft: (message) => Effect.fail(fail("InvalidRequest", message, { "x-correlation-id": caller.correlationId })),
    onRight: Effect.succeed
  })

const route = (request: HttpServerRequest.HttpServerRequest, prefix: string) => tail(request.url, prefix) ?? ""

type Gate = Effect.Effect.Success<typeof makeGate>

/** Passes the gate for the access `needed` (the endpoint's, ApiAccess.ts), then answers with `body`; a refusal or a failure becomes the JSON error response. */
const guarded = (
  gate: Gate,
  request: HttpServerRequest.HttpServerRequest,
  needed: Access,
  body: (caller: Caller) => Effect.Effect<ReturnType<typeof ok>, { readonly _tag: string; readonly message: string } | ReturnType<typeof ok>>
) => Effect.flatMap(Effect.either(gate(request, needed)), (gated) => (Either.isLeft(gated) ? Effect.succeed(gated.left) : respond(gated.right.correlationId, body(gated.right))))

const RunsLive = (api: Api) =>
  HttpApiBuilder.group(api, "runs", (handlers) =>
  Effect.gen(function* () {
    const gate = yield* makeGate
    const settings = yield* HttpSettings
    const service = yield* WorkflowService
    // every path form of /execute (documented or not) is read from the raw path, the same way
    const run = (name: string) => {
      const needed = accessOf(handlers.group, name)
      return ({ request }: { readonly request: HttpServerRequest.HttpServerRequest }) =>
        guarded(gate, request, needed, (caller) =>
          Effect.gen(function* () {
            const target = yield* param(executeTarget(route(request, "/execute/")), caller)
            const body = yield* readJson(request, { schema: ExecuteBody, shape: EXECUTE_SHAPE }, settings.maxBodyBytes, caller.correlationId)
            const execution = {
              workflow: target.address,
              principal: caller.principal.id,
              ...(body.state !== undefined ? { state: body.state } : {}),
              ...(body.thread_id !== undefined ? { thread_id: body.thread_id } : {})
            }
            if (target.stream)
              return yield* streamRun(({ observer, tokens, custom }, onStart) => service.execute(execution, { observer, tokens, custom, onStart }), {
                correlationId: caller.correlationId,
                heartbeatMillis: settings.heartbeatMillis
              })
            const { result } = yield* service.execute(execution)
            return ok(result, caller.correlationId)
          })
        )
    }
    const resume = accessOf(handlers.group, "resume")
    return handlers
      .handleRaw("execute", run("execute"))
      .handleRaw("executeWorkflow", run("executeWorkflow"))
      .handleRaw("stream", run("stream"))
      .handleRaw("streamWorkflow", run("streamWorkflow"))
      .handleRaw("executeAnyPath", run("executeAnyPath"))
      .handleRaw("resume", ({ request }) =>
        guarded(gate, request, resume, (caller) =>
          Effect.gen(function* () {
            const threadId = yield* param(threadTarget(route(request, "/resume/")), caller)
            const body = yield* readJson(request, { schema: ResumeBody, shape: RESUME_SHAPE }, settings.maxBodyBytes, caller.correlationId)
            const { result } = yield* service.resume(
              { thread_id: threadId, ...(body.action !== undefined ? { action: body.action } : {}), ...(body.data !== undefined ? { data: body.data } : {}) },
              { caller: caller.principal }
            )
            return ok(result, caller.correlationId)
          })
        )
      )
  })
)

const WorkflowsLive = (api: Api) =>
  HttpApiBuilder.group(api, "workflows", (handlers) =>
  Effect.gen(function* () {
    const gate = yield* makeGate
    const catalog = yield* WorkflowCatalog
    const inspector = yield* GraphInspector
    // `/workflows/{workflow}/graph`, with sub-folders `/workflows/team/sales/graph` (routed to describeAnyPath)
    const draw = (request: HttpServerRequest.HttpServerRequest, caller: Caller, raw: string) =>
      Effect.gen(function* () {
        const address = yield* param(workflowTarget(raw), caller)
        return yield* drawing(inspector, address, request.url, caller.correlationId)
      })
    const describe = (name: string) => {
      const needed = accessOf(handlers.group, name)
      return ({ request }: { readonly request: HttpServerRequest.HttpServerRequest }) =>
        guarded(gate, request, needed, (caller) =>
          Effect.gen(function* () {
            const raw = route(request, "/workflows/")
            if (raw.endsWith("/graph")) return yield* draw(request, caller, raw.slice(0, -"/graph".length))
            const address = yield* param(workflowTarget(raw), caller)
            return ok(yield* catalog.describe(address), caller.correlationId)
          })
        )
    }
    const graph = accessOf(handlers.group, "graph")
    const list = accessOf(handlers.group, "list")
    return handlers
      .handleRaw("list", ({ request }) => guarded(gate, request, list, (caller) => Effect.map(catalog.list, (workflows) => ok({ workflows }, caller.correlationId))))
      .handleRaw("describe", describe("describe"))
      .handleRaw("graph", ({ request }) => guarded(gate, request, graph, (caller) => draw(request, caller, route(request, "/workflows/").slice(0, -"/graph".length))))
      .handleRaw("describeAnyPath", describe("describeAnyPath"))
  })
)

const ThreadsLive = (api: Api) =>
  HttpApiBuilder.group(api, "threads", (handlers) =>
  Effect.gen(function* () {
    const gate = yield* makeGate
    const threads = yield* LangGraphThreads
    const needed = accessOf(handlers.group, "show")
    return handlers.handleRaw("show", ({ request }) =>
      guarded(gate, request, needed, (caller) =>
        Effect.gen(function* () {
          const id = yield* param(threadTarget(route(request, "/threads/")), caller)
          // AgentMap's thread document plus the LangGraph Thread fields (an empty thread made by POST /threads is `idle`)
          return ok(threadDocument(yield* threads.get(id, caller.principal)), caller.correlationId)
        })
      )
    )
  })
)

/** `document`: the OpenAPI document /openapi.json answers (AgentMapApi's, whatever prefix `api` is mounted under). */
const SystemLive = (api: Api, document: object) =>
  HttpApiBuilder.group(api, "system", (handlers) =>
  Effect.gen(function* () {
    const gate = yield* makeGate
    const settings = yield* HttpSettings
    const checkpoints = yield* CheckpointStore
    const diagnosis = yield* Diagnosis
    const models = yield* LanguageModels
    const health = accessOf(handlers.group, "health")
    const diagnose = accessOf(handlers.group, "diagnose")
    const registry = yield* ThreadRegistry
    const metricsAccess = settings.metricsPublic ? "public" : accessOf(handlers.group, "metrics")
    return handlers
      .handleRaw("health", ({ request }) =>
        Effect.map(Effect.either(gate(request, health)), (gated) =>
          Either.isLeft(gated) ? gated.left : ok({ status: "ok", version: settings.version }, gated.right.correlationId)
        )
      )
      .handleRaw("diagnose", ({ request }) =>
        guarded(gate, request, diagnose, (caller) =>
          Effect.gen(function* () {
            // the store as this server uses it, besides diagnose's own connection
            const store = yield* Effect.either(checkpoints.has("agentmap:diagnose-probe"))
            const query = new URL(request.url, "http://localhost").searchParams
            const workflow = query.get("workflow") ?? undefined
            const graph = query.get("graph") ?? undefined
            const document = yield* diagnosis.run({
              probe: query.get("probe") === "true" || query.get("probe") === "1",
              ...(workflow !== undefined && workflow !== "" ? { workflow } : {}),
              ...(graph !== undefined && graph !== "" ? { graph } : {})
            })
            const live = Either.isLeft(store) ? { reachable: false, error: store.left.message } : {}
            yield* refreshGauges(registry)
            const metrics = summarize(yield* Metric.snapshot)
            return ok(
              {
                ...settings.describe,
                ...document,
                checks: [...document.checks, ...summaryChecks(metrics)],
                metrics,
                persistence: { ...document.persistence, ...live },
                pid: process.pid,
                uptime_s: Math.round((Date.now() - started) / 1000),
                memory: memoryNow(),
                circuits: models.circuits?.() ?? {}
              },
              caller.correlationId
            )
          })
        )
      )
      .handleRaw("metrics", ({ request }) =>
        guarded(gate, request, metricsAccess, (caller) =>
          Effect.map(prometheusText(registry), (text) => HttpServerResponse.text(text, { contentType: CONTENT_TYPE, headers: { "x-correlation-id": caller.correlationId } }))
        )
      )
      .handleRaw("openapi", () => Effect.succeed(HttpServerResponse.unsafeJson(document)))
      .handleRaw("docs", ({ request }) => Effect.succeed(docsPage(request)))
  })
)

/** This process's memory: what an operator watches for a server that should level off. */
const memoryNow = () => {
  const m = process.memoryUsage()
  return { rss_bytes: m.rss, heap_used_bytes: m.heapUsed, heap_total_bytes: m.heapTotal, external_bytes: m.external }
}

/** Every group's handlers for `api` (AgentMapApi itself, or AgentMapApi.prefix(...)). */
export const handlersFor = (api: Api, document: object) => Layer.mergeAll(RunsLive(api), WorkflowsLive(api), ThreadsLive(api), SystemLive(api, document), AssistantsLive(api), LangGraphThreadsLive(api), LangGraphRunsLive(api))
