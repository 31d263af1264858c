import type { IncomingMessage, ServerResponse } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, Layer, ManagedRuntime } from "effect"
import * as Routes from "../http/Routes.js"
import * as Serving from "../http/Serving.js"
import { type AgentMapOptions, layer } from "./Options.js"

export interface HandlerOptions extends AgentMapOptions {
  /** The path AgentMap is mounted under in the host (`/agentmap`); routes, docs and OpenAPI live below it. */
  readonly prefix?: `/${string}`
}

const routesLayer = (options: HandlerOptions) =>
  Routes.layer(options.prefix !== undefined ? { prefix: options.prefix } : {}).pipe(Layer.provide(layer(options)))

/** A web-standard handler for non-Effect hosts (Hono, Bun, Deno, edge adapters, tests). */
export const createWebHandler = (options: HandlerOptions = {}) => Serving.webHandler(routesLayer(options).pipe(Layer.provide(NodeHttpServer.layerContext)))

/** A Node `(req, res)` handler for hosts built on node:http, Express, Fastify's raw mode, ... */
export const createNodeHandler = async (options: HandlerOptions = {}) => {
  const runtime = ManagedRuntime.make(Layer.mergeAll(NodeHttpServer.layerContext, Layer.scope))
  const handler = await runtime.runPromise(
    Effect.gen(function* () {
      const app = yield* Serving.appFor(routesLayer(options))
      return yield* NodeHttpServer.makeHandler(app)
    })
  )
  return {
    handler: handler as (request: IncomingMessage, response: ServerResponse) => void,
    dispose: () => runtime.dispose()
  }
}
