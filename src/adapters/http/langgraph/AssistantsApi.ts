import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { operation } from "../ApiAccess.js"
import { answers } from "../ApiProblems.js"
import { AssistantBody, AssistantSearch, GraphBody, SchemasBody } from "./LangGraphBodies.js"

const id = Schema.Struct({
  assistant_id: Schema.String.annotations({ description: "workflow::Graph (a workflow's name means its first graph), or the assistant's UUID; URL-encode a sub-folder's slash" })
})

/** The LangGraph Platform API's assistants: one per graph of the workflow repository (read-only). */
export const AssistantsGroup = HttpApiGroup.make("assistants")
  .add(
    HttpApiEndpoint.post("search", "/assistants/search")
      .setPayload(AssistantSearch)
      .addSuccess(Schema.Array(AssistantBody))
      .pipe(answers([400]), operation({ summary: "Search assistants", description: "The graphs of the repository as assistants, filtered by graph_id and metadata, paged by limit (default 10) and offset", access: "read", optionalBody: true }))
  )
  .add(
    HttpApiEndpoint.post("count", "/assistants/count")
      .setPayload(AssistantSearch)
      .addSuccess(Schema.Number)
      .pipe(answers([400]), operation({ summary: "Count assistants", access: "read", optionalBody: true }))
  )
  .add(HttpApiEndpoint.get("get", "/assistants/:assistant_id").setPath(id).addSuccess(AssistantBody).pipe(answers([404]), operation({ summary: "Get an assistant", access: "read" })))
  .add(
    HttpApiEndpoint.get("graph", "/assistants/:assistant_id/graph")
      .setPath(id)
      .setUrlParams(Schema.Struct({ xray: Schema.optional(Schema.String) }))
      .addSuccess(GraphBody)
      .pipe(answers([404]), operation({ summary: "An assistant's graph", description: "Nodes and edges as LangGraph draws them, with __start__ and __end__; success and failure routes are conditional edges labelled in `data`", access: "read" }))
  )
  .add(
    HttpApiEndpoint.get("schemas", "/assistants/:assistant_id/schemas")
      .setPath(id)
      .addSuccess(SchemasBody)
      .pipe(answers([404]), operation({ summary: "An assistant's schemas", description: "JSON Schemas of the graph's input (the fields its nodes read), output and state (every field), from the CSV", access: "read" }))
  )
  .add(
    HttpApiEndpoint.get("subgraphs", "/assistants/:assistant_id/subgraphs")
      .setPath(id)
      .setUrlParams(Schema.Struct({ recurse: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
      .pipe(answers([404]), operation({ summary: "An assistant's subgraphs (none are listed)", access: "read" }))
  )
  .annotate(OpenApi.Description, "LangGraph Platform API: assistants (one per graph of the repository)")
