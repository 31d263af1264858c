import type { IncomingMessage, ServerResponse } from "node:http"
import { HttpLayerRouter } from "@effect/platform"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, Layer, ManagedRuntime } from "effect"
import * as Routes from "../http/Routes.js"
import { ALLOW, answerUnmatched, unroutableMethod } from "../http/Unmatched.js"
import { type AgentMapOptions, layer } from "./Options.js"

export interface HandlerOptions extends AgentMapOptions {
  /** The path AgentMap is mounted under in the host (`/agentmap`); routes, docs and OpenAPI live below it. */
  readonly prefix?: `/${string}`
}

const routesLayer = (options: HandlerOptions) =>
  Routes.layer(options.prefix !== undefined ? { prefix: options.prefix } : {}).pipe(Layer.provide(layer(options)))

/** A web-standard handler for non-Effect hosts (Hono, Bun, Deno, edge adapters, tests). */
export const createWebHandler = (options: HandlerOptions = {}) => {
  const web = HttpLayerRouter.toWebHandler(routesLayer(options).pipe(Layer.provide(NodeHttpServer.layerContext)), { disableLogger: true })
  // a method the router cannot route (any token is a method to a web Request) is answered here, as a problem document
  const handler = (request: Request): Promise<Response> => {
    const unroutable = unroutableMethod(request.method, new URL(request.url).pathname)
    return unroutable === undefined ? web.handler(request) : Promise.resolve(Response.json({ error: "MethodNotAllowed", message: unroutable }, { status: 405, headers: { allow: ALLOW } }))
  }
  return { handler, dispose: web.dispose }
}

/** A Node `(req, res)` handler for hosts built on node:http, Express, Fastify's raw mode, ... */
export const createNodeHandler = async (options: HandlerOptions = {}) => {
  const runtime = ManagedRuntime.make(Layer.mergeAll(NodeHttpServer.layerContext, Layer.scope))
  const handler = await runtime.runPromise(
    Effect.gen(function* () {
      const app = answerUnmatched(yield* HttpLayerRouter.toHttpEffect(routesLayer(options)))
      return yield* NodeHttpServer.makeHandler(app)
    })
  )
  return {
    handler: handler as (request: IncomingMessage, response: ServerResponse) => void,
    dispose: () => runtime.dispose()
  }
}
