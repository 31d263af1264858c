import { Context, Effect, Layer } from "effect"
import { GraphNotFound, type InvalidRequest, type StoreUnavailable, WorkflowNotFound } from "../domain/Errors.js"
import { type GraphDetail, WorkflowCatalog } from "./WorkflowCatalog.js"

/** A graph of the repository as the LangGraph API names it: `assistant_id` = `graph_id` = `workflow::Graph`. */
export interface Assistant {
  readonly assistant_id: string
  readonly graph_id: string
  /** The stable UUID also accepted as this assistant's id. */
  readonly uuid: string
  readonly workflow: string
  readonly graph: string
}

export type AssistantError = WorkflowNotFound | GraphNotFound | InvalidRequest | StoreUnavailable

/** How a graph id becomes its UUID (uuid v5 under a fixed namespace): computed by an adapter. */
export type AssistantUuid = (graphId: string) => string

/** The assistants of the LangGraph API: one per graph of the workflow repository. */
export class Assistants extends Context.Tag("agentmap/Assistants")<
  Assistants,
  {
    /** Every graph of every valid workflow, in repository order. */
    readonly list: Effect.Effect<ReadonlyArray<Assistant>, StoreUnavailable>
    /**
     * `workflow::Graph`, a workflow's name (its first graph) or an assistant's UUID; an unknown
     * one fails with WorkflowNotFound / GraphNotFound (a 404).
     */
    readonly resolve: (id: string) => Effect.Effect<Assistant, AssistantError>
    /** The graph's nodes (inputs, outputs, routes), for drawings and schemas. */
    readonly detail: (assistant: Assistant) => Effect.Effect<GraphDetail, AssistantError>
  }
>() {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether an assistant id is a UUID (resolved through the catalog) rather than a graph id. */
export const isAssistantUuid = (id: string) => UUID.test(id)

export const layer = (uuidOf: AssistantUuid) =>
  Layer.effect(
    Assistants,
    Effect.gen(function* () {
      const catalog = yield* WorkflowCatalog
      const assistant = (workflow: string, graph: string): Assistant => {
        const id = `${workflow}::${graph}`
        return { assistant_id: id, graph_id: id, uuid: uuidOf(id), workflow, graph }
      }
      const list = Effect.map(catalog.list, (workflows) => workflows.filter((w) => w.valid).flatMap((w) => w.graphs.map((g) => assistant(w.name, g))))
      const notFound = (id: string) => new WorkflowNotFound({ workflow: id, message: `assistant '${id}' not found: name a graph as workflow::Graph (or its UUID)` })
      const resolve = (id: string): Effect.Effect<Assistant, AssistantError> =>
        isAssistantUuid(id)
          ? Effect.flatMap(list, (all) => {
              const found = all.find((a) => a.uuid === id.toLowerCase())
              return found === undefined ? Effect.fail(notFound(id)) : Effect.succeed(found)
            })
          : Effect.gen(function* () {
              const detail = yield* catalog.describe(id).pipe(
                Effect.catchTag("WorkflowNotFound", () => Effect.fail(notFound(id)))
              )
              const graph = detail.graphs[0]
              if (graph === undefined) return yield* Effect.fail(new GraphNotFound({ workflow: detail.workflow, graph: id, available: [], message: `assistant '${id}' not found: workflow '${detail.workflow}' has no graph` }))
              return assistant(detail.workflow, graph.graph)
            })
      const detail = (a: Assistant) =>
        Effect.flatMap(catalog.describe(a.assistant_id), (d) =>
          d.graphs[0] === undefined
            ? Effect.fail(new GraphNotFound({ workflow: a.workflow, graph: a.graph, available: [], message: `graph '${a.graph}' is not in workflow '${a.workflow}'` }))
            : Effect.succeed(d.graphs[0])
        )
      return { list, resolve, detail }
    })
  )

/** The one function both LangGraph route groups use to turn an assistant id into a graph. */
export const resolveAssistant = (id: string) => Effect.flatMap(Assistants, (a) => a.resolve(id))
