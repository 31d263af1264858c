import { HttpApp, HttpLayerRouter, HttpServer, type HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Context, Effect, Layer, type Scope } from "effect"
import { withAccessLog } from "./AccessLog.js"
import { answerUnmatched } from "./Unmatched.js"

/**
 * AgentMap's routes as the app every door serves, with the router's own "no route" (a path it
 * cannot match, a segment over its length limit, a malformed escape, a method it does not know)
 * answered as a problem document. HttpLayerRouter.serve and toWebHandler answer it with an empty
 * 404 and apply their middleware after the response is chosen, so the routes are served here.
 */
const appOf = (router: HttpLayerRouter.HttpRouter) =>
  withAccessLog(answerUnmatched(router.asHttpEffect() as Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, HttpServerRequest.HttpServerRequest | Scope.Scope>))

/** A Node HTTP server serving `routes` (the server layer provides HttpServer). */
export const serve = <A, E, R>(routes: Layer.Layer<A, E, R>) =>
  Effect.map(HttpLayerRouter.HttpRouter, (router) => HttpServer.serve(appOf(router))).pipe(
    Layer.unwrapScoped,
    Layer.provideMerge(routes),
    Layer.provide(HttpLayerRouter.layer)
  )

/** A web-standard `(Request) => Promise<Response>` over `routes`. */
export const webHandler = <A, E>(routes: Layer.Layer<A, E, HttpLayerRouter.HttpRouter>) =>
  HttpApp.toWebHandlerLayerWith(Layer.provideMerge(routes, HttpLayerRouter.layer), {
    toHandler: (runtime) => Effect.succeed(appOf(Context.get(runtime.context, HttpLayerRouter.HttpRouter)))
  })

/** The app itself, for hosts that serve it their own way (a Node handler, a cloud bridge). */
export const appFor = <A, E, R>(routes: Layer.Layer<A, E, R>) => Effect.map(HttpLayerRouter.toHttpEffect(routes), (app) => withAccessLog(answerUnmatched(app)))
