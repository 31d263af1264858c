import { HttpApiBuilder, type HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"
import { LangGraphThreads } from "../../../application/LangGraphThreads.js"
import { historyOf, stateDocument, threadDocument, type ThreadView } from "../../../application/LangGraphThreadView.js"
import type { AgentMapApi } from "../Api.js"
import { accessOf } from "../ApiAccess.js"
import { makeGate } from "../Gate.js"
import { HttpSettings } from "../HttpSettings.js"
import { guarded, json } from "./Guarded.js"
import { HistoryQuery, StateUpdate, ThreadCreate, ThreadPatch, ThreadSearch, readBody } from "./LangGraphBodies.js"

/** The thread's states newest first as ThreadState documents: `before` (a checkpoint id) skips the newer ones. */
const history = (view: ThreadView, limit: number, before: string | undefined) => {
  const entries = historyOf(view)
  const start = before === undefined ? 0 : entries.findIndex((e) => e.checkpoint_id === before) + 1
  const from = before !== undefined && start === 0 ? entries.length : start
  return entries.slice(from, from + limit).map((e, i) => stateDocument(view, e, entries[from + i + 1], from + i === 0))
}

const beforeId = (before: unknown): string | undefined =>
  typeof before === "string" ? before : typeof before === "object" && before !== null ? (before as { checkpoint_id?: string; configurable?: { checkpoint_id?: string } }).checkpoint_id ?? (before as { configurable?: { checkpoint_id?: string } }).configurable?.checkpoint_id : undefined

export const LangGraphThreadsLive = (api: typeof AgentMapApi) =>
  HttpApiBuilder.group(api, "langgraphThreads", (handlers) =>
    Effect.gen(function* () {
      const gate = yield* makeGate
      const settings = yield* HttpSettings
      const threads = yield* LangGraphThreads
      const access = (name: string) => accessOf(handlers.group, name)
      const body = <A, I>(request: HttpServerRequest.HttpServerRequest, schema: import("effect").Schema.Schema<A, I>, correlationId: string) =>
        readBody(request, schema, settings.maxBodyBytes, correlationId)
      const search = (counting: boolean) =>
        ({ request }: { readonly request: HttpServerRequest.HttpServerRequest }) =>
          guarded(gate, request, access(counting ? "count" : "search"), (caller) =>
            Effect.gen(function* () {
              const q = yield* body(request, ThreadSearch, caller.correlationId)
              const { page, total } = yield* threads.search(counting ? { ...q, limit: Number.MAX_SAFE_INTEGER, offset: 0 } : q, caller.principal)
              return counting ? json(total, caller.correlationId) : json(page.map(threadDocument), caller.correlationId)
            })
          )
      const historyRoute = (name: "history" | "historyPost") =>
        ({ path, request }: { readonly path: { readonly thread_id: string }; readonly request: HttpServerRequest.HttpServerRequest }) =>
          guarded(gate, request, access(name), (caller) =>
            Effect.gen(function* () {
              const query =
                name === "historyPost"
                  ? yield* body(request, HistoryQuery, caller.correlationId)
                  : (() => {
                      const params = new URL(request.url, "http://localhost").searchParams
                      const limit = params.get("limit")
                      return { limit: limit === null ? undefined : Number(limit), before: params.get("before") ?? undefined }
                    })()
              const view = yield* threads.get(path.thread_id, caller.principal)
              const limit = query.limit !== undefined && Number.isFinite(query.limit) ? query.limit : 10
              return json(history(view, limit, beforeId(query.before)), caller.correlationId)
            })
          )
      return handlers
        .handleRaw("create", ({ request }) =>
          guarded(gate, request, access("create"), (caller) =>
            Effect.gen(function* () {
              const b = yield* body(request, ThreadCreate, caller.correlationId)
              const view = yield* threads.create(b, caller.principal)
              return json(threadDocument(view), caller.correlationId)
            })
          )
        )
        .handleRaw("search", search(false))
        .handleRaw("count", search(true))
        .handleRaw("update", ({ path, request }) =>
          guarded(gate, request, access("update"), (caller) =>
            Effect.gen(function* () {
              const b = yield* body(request, ThreadPatch, caller.correlationId)
              return json(threadDocument(yield* threads.patch(path.thread_id, b.metadata ?? {}, caller.principal)), caller.correlationId)
            })
          )
        )
        .handleRaw("delete", ({ path, request }) =>
          guarded(gate, request, access("delete"), (caller) => Effect.as(threads.remove(path.thread_id, caller.principal), json(null, caller.correlationId)))
        )
        .handleRaw("state", ({ path, request }) =>
          guarded(gate, request, access("state"), (caller) =>
            Effect.map(threads.get(path.thread_id, caller.principal), (view) => {
              const entries = historyOf(view)
              return json(stateDocument(view, entries[0], entries[1], true), caller.correlationId)
            })
          )
        )
        .handleRaw("updateState", ({ path, request }) =>
          guarded(gate, request, access("updateState"), (caller) =>
            Effect.gen(function* () {
              const b = yield* body(request, StateUpdate, caller.correlationId)
              const { checkpoint_id } = yield* threads.updateState(path.thread_id, b.values ?? {}, b.as_node, caller.principal)
              const checkpoint = { thread_id: path.thread_id, checkpoint_ns: "", checkpoint_id, checkpoint_map: null }
              // `checkpoint` as the LangGraph server answers, `configurable` as the SDK's type reads it
              return json({ checkpoint, configurable: checkpoint }, caller.correlationId)
            })
          )
        )
        .handleRaw("history", historyRoute("history"))
        .handleRaw("historyPost", historyRoute("historyPost"))
    })
  )
