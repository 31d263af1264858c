import { HttpApiBuilder, type HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Either, Fiber } from "effect"
import { Assistants, isAssistantUuid } from "../../../application/Assistants.js"
import { LangGraphRuns, type RunEnd } from "../../../application/LangGraphRuns.js"
import type { RunRecord, RunStatus } from "../../../domain/BackgroundRun.js"
import { RunStatus as RunStatusSchema } from "../../../domain/BackgroundRun.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import { assistantAddress, runView } from "../../../domain/LangGraphApi.js"
import type { AgentMapApi } from "../Api.js"
import { accessOf } from "../ApiAccess.js"
import { readJson } from "../Body.js"
import { type Caller, makeGate } from "../Gate.js"
import { HttpSettings } from "../HttpSettings.js"
import { fail, problem } from "../Problems.js"
import { respond } from "../Respond.js"
import { RUN_CREATE_SHAPE, RunCreateBody } from "./RunsApi.js"
import { modesOf, rejoin, streamEnd, streamRun } from "./RunsStream.js"

type Api = typeof AgentMapApi
type Request = HttpServerRequest.HttpServerRequest
/** A handler's argument: the request, and the decoded path of a thread-bound route. */
type Args = { readonly request: Request; readonly path?: { readonly thread_id: string; readonly run_id?: string } }

const json = (body: unknown, caller: Caller, headers: Readonly<Record<string, string>> = {}) =>
  HttpServerResponse.unsafeJson(body, { headers: { "x-correlation-id": caller.correlationId, ...headers } })

/** Where the SDK reads the run's id from (a stateless run's path names no thread, as the reference server's). */
const location = (run: RunRecord, stateless: boolean) => ({ "content-location": stateless ? `/runs/${run.run_id}` : `/threads/${run.thread_id}/runs/${run.run_id}` })

/** A run that failed: LangGraph's `__error__` beside the values. */
const waitBody = (end: RunEnd) => (end.error !== undefined && end.run.status === "error" ? { ...end.values, __error__: end.error } : end.values)

const isStatus = (s: string): s is RunStatus => (RunStatusSchema.literals as ReadonlyArray<string>).includes(s)

export const LangGraphRunsLive = (api: Api) =>
  HttpApiBuilder.group(api, "langgraphRuns", (handlers) =>
    Effect.gen(function* () {
      const gate = yield* makeGate
      const settings = yield* HttpSettings
      const runs = yield* LangGraphRuns
      const assistants = yield* Assistants

      const guarded = (request: Request, name: string, body: (caller: Caller) => Effect.Effect<HttpServerResponse.HttpServerResponse, { readonly _tag: string; readonly message: string } | HttpServerResponse.HttpServerResponse>) => {
        const needed = accessOf(handlers.group, name)
        return Effect.flatMap(Effect.either(gate(request, needed)), (gated) => (Either.isLeft(gated) ? Effect.succeed(gated.left) : respond(gated.right.correlationId, body(gated.right))))
      }

      /** A leg refused before it ran (409, 404, 422...) is an HTTP error, and leaves no run behind: LangGraph never created it. */
      const refusal = (end: RunEnd, caller: Caller) =>
        end.rejected && end.error !== undefined
          ? Effect.as(runs.remove(end.run), problem({ _tag: end.error.error, message: end.error.message }, { "x-correlation-id": caller.correlationId }))
          : undefined

      /** Decodes the body, resolves the assistant and records the run (pending). */
      const recordRun = (request: Request, caller: Caller, threadId: string | undefined) =>
        Effect.gen(function* () {
          const body = yield* readJson(request, { schema: RunCreateBody, shape: RUN_CREATE_SHAPE }, settings.maxBodyBytes, caller.correlationId)
          // an assistant's UUID names its graph through the catalog; `workflow::Graph` goes straight to the run
          const workflow = isAssistantUuid(body.assistant_id)
            ? (yield* assistants.resolve(body.assistant_id)).assistant_id
            : yield* Either.match(assistantAddress(body.assistant_id), {
                onLeft: (message) => Effect.fail(new InvalidRequest({ message })),
                onRight: Effect.succeed
              })
          const run = yield* runs.create({
            assistant_id: body.assistant_id,
            workflow,
            thread_id: threadId,
            if_not_exists: body.if_not_exists ?? "reject",
            kwargs: {
              input: body.input ?? null,
              command: body.command ?? null,
              stream_mode: typeof body.stream_mode === "string" ? [body.stream_mode] : [...(body.stream_mode ?? [])],
              config: body.config ?? null,
              webhook: body.webhook ?? null
            },
            metadata: body.metadata ?? {},
            multitask_strategy: body.multitask_strategy ?? "reject",
            caller: caller.principal
          })
          return { run, body }
        })

      const wait = (threadOf: (args: Args) => string | undefined) => (name: string) => (args: Args) =>
        guarded(args.request, name, (caller) =>
          Effect.gen(function* () {
            const { run } = yield* recordRun(args.request, caller, threadOf(args))
            // a daemon, as streamed runs are: a client that disconnects does not stop the run
            const end = yield* Fiber.join(yield* Effect.forkDaemon(runs.run(run)))
            return yield* refusal(end, caller) ?? Effect.succeed(json(waitBody(end), caller, location(run, threadOf(args) === undefined)))
          })
        )

      const stream = (threadOf: (args: Args) => string | undefined) => (name: string) => (args: Args) =>
        guarded(args.request, name, (caller) =>
          Effect.gen(function* () {
            const { run, body } = yield* recordRun(args.request, caller, threadOf(args))
            const initial = run.kwargs.command !== null ? yield* runs.values(run.thread_id) : (body.input ?? {})
            return yield* streamRun(run, modesOf(body.stream_mode), initial, (listeners) => runs.run(run, listeners), (end) => refusal(end, caller), {
              heartbeatMillis: settings.heartbeatMillis,
              headers: { "x-correlation-id": caller.correlationId, ...location(run, threadOf(args) === undefined) },
              resumable: body.stream_resumable === true
            })
          })
        )

      const background = (threadOf: (args: Args) => string | undefined) => (name: string) => (args: Args) =>
        guarded(args.request, name, (caller) =>
          Effect.gen(function* () {
            const { run } = yield* recordRun(args.request, caller, threadOf(args))
            const submitted = yield* Effect.either(runs.submit(run))
            if (Either.isLeft(submitted)) {
              if (submitted.left._tag === "QueueFull") return fail("TooManyRequests", submitted.left.message, { "retry-after": "1", "x-correlation-id": caller.correlationId })
              return yield* Effect.fail(submitted.left)
            }
            return json(runView(run), caller, location(run, threadOf(args) === undefined))
          })
        )

      /** The thread and run of a thread-bound route, from its path; undefined for the stateless routes. */
      const threadOf = (args: Args) => args.path?.thread_id
      const none = () => undefined
      const found = (args: Args, caller: Caller) => runs.find(args.path?.thread_id ?? "", args.path?.run_id ?? "", caller.principal)
      const query = (request: Request) => new URL(request.url, "http://x").searchParams

      return handlers
        .handleRaw("waitStateless", wait(none)("waitStateless"))
        .handleRaw("streamStateless", stream(none)("streamStateless"))
        .handleRaw("createStateless", background(none)("createStateless"))
        .handleRaw("wait", wait(threadOf)("wait"))
        .handleRaw("stream", stream(threadOf)("stream"))
        .handleRaw("create", background(threadOf)("create"))
        .handleRaw("list", (args) =>
          guarded(args.request, "list", (caller) =>
            Effect.gen(function* () {
              const q = query(args.request)
              const limit = Number(q.get("limit") ?? "10")
              const offset = Number(q.get("offset") ?? "0")
              const status = q.get("status") ?? undefined
              if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(offset) || offset < 0)
                return yield* Effect.fail(new InvalidRequest({ message: "limit and offset must be whole numbers ≥ 0" }))
              if (status !== undefined && !isStatus(status)) return yield* Effect.fail(new InvalidRequest({ message: `status '${status}' is not one of ${RunStatusSchema.literals.join(", ")}` }))
              const list = yield* runs.list(threadOf(args) ?? "", { limit, offset, ...(status !== undefined ? { status } : {}) }, caller.principal)
              return json(list.map(runView), caller)
            })
          )
        )
        .handleRaw("get", (args) => guarded(args.request, "get", (caller) => Effect.map(found(args, caller), (run) => json(runView(run), caller))))
        .handleRaw("join", (args) =>
          guarded(args.request, "join", (caller) =>
            Effect.gen(function* () {
              const end = yield* runs.join(yield* found(args, caller))
              return json(waitBody(end), caller)
            })
          )
        )
        .handleRaw("joinStream", (args) =>
          guarded(args.request, "joinStream", (caller) =>
            Effect.map(found(args, caller), (run) => {
              const options = { heartbeatMillis: settings.heartbeatMillis, headers: { "x-correlation-id": caller.correlationId } }
              // a resumable stream this process keeps: from Last-Event-ID on; otherwise the run's end
              return rejoin(run, args.request.headers["last-event-id"], options) ?? streamEnd(run, runs.join(run).pipe(Effect.orDie), options)
            })
          )
        )
        .handleRaw("cancel", (args) =>
          guarded(args.request, "cancel", (caller) =>
            Effect.gen(function* () {
              const q = query(args.request)
              const action = q.get("action") ?? "interrupt"
              if (action !== "interrupt" && action !== "rollback") return yield* Effect.fail(new InvalidRequest({ message: `action '${action}' is not interrupt or rollback` }))
              const run = yield* found(args, caller)
              yield* runs.cancel(run, action)
              if (q.get("wait") === "1" || q.get("wait") === "true") yield* runs.join(run)
              return HttpServerResponse.empty({ status: 204, headers: { "x-correlation-id": caller.correlationId } })
            })
          )
        )
        .handleRaw("delete", (args) =>
          guarded(args.request, "delete", (caller) =>
            Effect.gen(function* () {
              yield* runs.remove(yield* found(args, caller))
              return HttpServerResponse.empty({ status: 204, headers: { "x-correlation-id": caller.correlationId } })
            })
          )
        )
    })
  )

