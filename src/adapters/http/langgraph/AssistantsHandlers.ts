import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { type Assistant, Assistants } from "../../../application/Assistants.js"
import type { AgentMapApi } from "../Api.js"
import { accessOf } from "../ApiAccess.js"
import { makeGate } from "../Gate.js"
import { HttpSettings } from "../HttpSettings.js"
import { assistantDocument, graphDocument, schemasDocument } from "./AssistantShapes.js"
import { guarded, json as ok } from "./Guarded.js"
import { AssistantSearch, readBody } from "./LangGraphBodies.js"

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The assistants matching a search body (graph_id as the graph id or its UUID, name, metadata). */
const matching = (all: ReadonlyArray<Assistant>, q: typeof AssistantSearch.Type) =>
  all.filter((a) => {
    if (q.graph_id !== undefined && q.graph_id !== a.graph_id && q.graph_id.toLowerCase() !== a.uuid) return false
    if (q.name !== undefined && q.name !== a.graph) return false
    const meta: Record<string, unknown> = assistantDocument(a).metadata
    return Object.entries(q.metadata ?? {}).every(([k, v]) => sameJson(meta[k], v))
  })

export const AssistantsLive = (api: typeof AgentMapApi) =>
  HttpApiBuilder.group(api, "assistants", (handlers) =>
    Effect.gen(function* () {
      const gate = yield* makeGate
      const settings = yield* HttpSettings
      const assistants = yield* Assistants
      const access = (name: string) => accessOf(handlers.group, name)
      const search = (counting: boolean) =>
        ({ request }: { readonly request: Parameters<typeof gate>[0] }) =>
          guarded(gate, request, access(counting ? "count" : "search"), (caller) =>
            Effect.gen(function* () {
              const q = yield* readBody(request, AssistantSearch, settings.maxBodyBytes, caller.correlationId)
              const found = matching(yield* assistants.list, q)
              if (counting) return ok(found.length, caller.correlationId)
              const offset = q.offset ?? 0
              const sorted = q.sort_order === "desc" ? [...found].reverse() : found
              return ok(sorted.slice(offset, offset + (q.limit ?? 10)).map((a) => assistantDocument(a)), caller.correlationId)
            })
          )
      return handlers
        .handleRaw("search", search(false))
        .handleRaw("count", search(true))
        .handleRaw("get", ({ path, request }) =>
          guarded(gate, request, access("get"), (caller) =>
            Effect.map(assistants.resolve(path.assistant_id), (a) => ok(assistantDocument(a), caller.correlationId))
          )
        )
        .handleRaw("graph", ({ path, request }) =>
          guarded(gate, request, access("graph"), (caller) =>
            Effect.gen(function* () {
              const a = yield* assistants.resolve(path.assistant_id)
              return ok(graphDocument(yield* assistants.detail(a)), caller.correlationId)
            })
          )
        )
        .handleRaw("schemas", ({ path, request }) =>
          guarded(gate, request, access("schemas"), (caller) =>
            Effect.gen(function* () {
              const a = yield* assistants.resolve(path.assistant_id)
              return ok(schemasDocument(a, yield* assistants.detail(a)), caller.correlationId)
            })
          )
        )
        .handleRaw("subgraphs", ({ path, request }) =>
          guarded(gate, request, access("subgraphs"), (caller) => Effect.map(assistants.resolve(path.assistant_id), () => ok({}, caller.correlationId)))
        )
    })
  )
