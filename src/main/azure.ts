/**
 * `agentmap/azure`: Azure Functions (v4 programming model). Importing this module registers
 * `agentmap` (HTTP, every route under the host's `api/` prefix) and `agentmapQueue` (storage
 * queue `triggers.azure.queue_name`, default `agentmap-runs`, on the `AzureWebJobsStorage`
 * connection unless `triggers.azure.connection` names another).
 */
import { app } from "@azure/functions"
import { Effect } from "effect"
import { loadConfig } from "../adapters/config/ConfigLoader.js"
import { makeHandlers } from "../adapters/serverless/azure/Handlers.js"
import { NO_TRIGGERS } from "../domain/TriggerMapping.js"

export type { AzureContext, AzureHttpRequest, AzureHttpResponse } from "../adapters/serverless/azure/Handlers.js"

const handlers = makeHandlers({ prefix: "/api" })
export const httpHandler = handlers.http
export const queueHandler = handlers.queue

// the queue binding is declared at load time; a broken config is reported by the first invocation instead
const queue = Effect.runSync(
  loadConfig({ explicit: undefined, env: process.env, cwd: process.cwd() }).pipe(
    Effect.map(({ config }) => config.triggers.azure),
    Effect.orElseSucceed(() => NO_TRIGGERS.azure)
  )
)

app.http("agentmap", {
  route: "{*path}",
  methods: ["GET", "POST", "OPTIONS"],
  authLevel: "anonymous",
  handler: (request, context) => httpHandler(request, context)
})
app.storageQueue("agentmapQueue", {
  queueName: queue.queueName,
  connection: queue.connection,
  handler: (item, context) => queueHandler(item, context)
})
