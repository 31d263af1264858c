import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { operation } from "../ApiAccess.js"
import { answers } from "../ApiProblems.js"
import { CheckpointBody, HistoryQuery, LangGraphThreadBody, StateUpdate, ThreadCreate, ThreadPatch, ThreadSearch, ThreadStateBody } from "./LangGraphBodies.js"

const id = Schema.Struct({ thread_id: Schema.String.annotations({ description: "The thread's id" }) })

/** The LangGraph Platform API's threads, over the thread registry (`GET /threads/{id}` is in the `threads` group). */
export const LangGraphThreadsGroup = HttpApiGroup.make("langgraphThreads")
  .add(
    HttpApiEndpoint.post("create", "/threads")
      .setPayload(ThreadCreate)
      .addSuccess(LangGraphThreadBody)
      .pipe(answers([400, 409]), operation({ summary: "Create a thread", description: "An empty thread (no run yet), stored durably; an id that exists is 409 unless if_exists is do_nothing", access: "execute", optionalBody: true }))
  )
  .add(
    HttpApiEndpoint.post("search", "/threads/search")
      .setPayload(ThreadSearch)
      .addSuccess(Schema.Array(LangGraphThreadBody))
      .pipe(answers([400]), operation({ summary: "Search threads", description: "The caller's threads (runs and empty threads) filtered by metadata, status (either vocabulary) and ids; newest first by default; limit defaults to 10", access: "read", optionalBody: true }))
  )
  .add(
    HttpApiEndpoint.post("count", "/threads/count")
      .setPayload(ThreadSearch)
      .addSuccess(Schema.Number)
      .pipe(answers([400]), operation({ summary: "Count threads", access: "read", optionalBody: true }))
  )
  .add(
    HttpApiEndpoint.patch("update", "/threads/:thread_id")
      .setPath(id)
      .setPayload(ThreadPatch)
      .addSuccess(LangGraphThreadBody)
      .pipe(answers([400, 404]), operation({ summary: "Update a thread's metadata", description: "Merges the metadata given into the thread's", access: "execute", optionalBody: true }))
  )
  .add(
    HttpApiEndpoint.del("delete", "/threads/:thread_id")
      .setPath(id)
      .addSuccess(Schema.Null)
      .pipe(answers([404, 409]), operation({ summary: "Delete a thread", description: "Removes the thread, its checkpoints and metadata; a running thread is 409", access: "execute" }))
  )
  .add(
    HttpApiEndpoint.get("state", "/threads/:thread_id/state")
      .setPath(id)
      .setUrlParams(Schema.Struct({ subgraphs: Schema.optional(Schema.String), select: Schema.optional(Schema.String) }))
      .addSuccess(ThreadStateBody)
      .pipe(answers([404]), operation({ summary: "A thread's current state", description: "values, next (the suspended node) and tasks carrying the pending interrupt", access: "read" }))
  )
  .add(
    HttpApiEndpoint.post("updateState", "/threads/:thread_id/state")
      .setPath(id)
      .setPayload(StateUpdate)
      .addSuccess(CheckpointBody)
      .pipe(answers([400, 404, 409]), operation({ summary: "Write a thread's state", description: "Writes the values over the current ones as a new state (a running thread is 409)", access: "execute" }))
  )
  .add(
    HttpApiEndpoint.get("history", "/threads/:thread_id/history")
      .setPath(id)
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.NumberFromString), before: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Array(ThreadStateBody))
      .pipe(answers([400, 404]), operation({ summary: "A thread's states, newest first", access: "read" }))
  )
  .add(
    HttpApiEndpoint.post("historyPost", "/threads/:thread_id/history")
      .setPath(id)
      .setPayload(HistoryQuery)
      .addSuccess(Schema.Array(ThreadStateBody))
      .pipe(answers([400, 404]), operation({ summary: "A thread's states, newest first (limit, before)", access: "read", optionalBody: true }))
  )
  .annotate(OpenApi.Description, "LangGraph Platform API: threads, their state and history")
