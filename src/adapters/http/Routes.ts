import { HttpLayerRouter, type HttpServerRequest, HttpServerResponse, OpenApi } from "@effect/platform"
import { Effect, Layer } from "effect"
import { AgentMapApi } from "./Api.js"
import { docsAsset } from "./DocsAssets.js"
import { uiAsset } from "./UiAssets.js"
import { correlationIdOf } from "./Gate.js"
import { handlersFor } from "./Handlers.js"
import { HttpSettings } from "./HttpSettings.js"
import { fail } from "./Problems.js"
import { requestMetrics } from "./RequestMetrics.js"

export interface RouteOptions {
  /** Mount everything under this path (`/agentmap`): routes, `/openapi.json`, `/docs` and `/ui`. */
  readonly prefix?: `/${string}`
}

/**
 * Every AgentMap route as one layer for an @effect/platform HttpLayerRouter: the HttpApi
 * (which also serves `/openapi.json` and the `/docs` page), the docs page's files, JSON 404s for
 * unknown paths under the prefix, and CORS when configured. A host application merges it into
 * its own router.
 */
export const layer = (options: RouteOptions = {}) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const settings = yield* HttpSettings
      const prefix = options.prefix ?? ""
      const api = prefix === "" ? AgentMapApi : AgentMapApi.prefix(prefix as `/${string}`)
      // the paths without the prefix: the document's server is relative to where it is served, so they resolve under the prefix;
      // one version everywhere: /openapi.json's info.version is the package's, like /health and --version
      const document = OpenApi.fromApi(AgentMapApi.annotate(OpenApi.Version, settings.version))
      const routes = HttpLayerRouter.addHttpApi(api).pipe(Layer.provide(handlersFor(api, document)))
      const docs = HttpLayerRouter.use((router) =>
        router.add("GET", `${prefix}/docs/:file` as `/${string}`, (request: HttpServerRequest.HttpServerRequest) =>
          Effect.flatMap(HttpLayerRouter.params, (params) => docsAsset(params["file"] ?? "", correlationIdOf(request)))
        )
      )
      // the web inspector (http.ui): the page needs no credential, the API calls it makes do
      const ui = !settings.ui
        ? Layer.empty
        : HttpLayerRouter.use((router) =>
            Effect.all([
              // at <prefix>/ui the page's relative references would miss: sent to <prefix>/ui/ (relative too)
              // (the router takes <prefix>/ui/ for this path too: that one is the page)
              router.add("GET", `${prefix}/ui` as `/${string}`, (request: HttpServerRequest.HttpServerRequest) =>
                request.url.split("?")[0]!.endsWith("/") ? uiAsset("index.html", correlationIdOf(request)) : Effect.succeed(HttpServerResponse.redirect("ui/", { status: 301 }))
              ),
              router.add("GET", `${prefix}/ui/*` as `/${string}`, (request: HttpServerRequest.HttpServerRequest) =>
                uiAsset(request.url.split("?")[0]!.slice(`${prefix}/ui/`.length), correlationIdOf(request))
              )
            ])
          )
      const notFound = HttpLayerRouter.use((router) =>
        router.add("*", prefix === "" ? "*" : (`${prefix}/*` as `/${string}`), (request: HttpServerRequest.HttpServerRequest) =>
          Effect.succeed(fail("NotFound", `no route ${request.method} ${request.url.split("?")[0]}`, { "x-correlation-id": correlationIdOf(request) }))
        )
      )
      const cors = settings.cors.allowOrigins.length === 0
        ? Layer.empty
        : HttpLayerRouter.cors({
            allowedOrigins: settings.cors.allowOrigins,
            allowedMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
            allowedHeaders: ["content-type", "x-api-key", "authorization", "x-correlation-id", ...settings.cors.allowHeaders],
            exposedHeaders: ["x-correlation-id", "retry-after"],
            credentials: settings.cors.allowCredentials,
            maxAge: settings.cors.maxAgeSeconds
          })
      return Layer.mergeAll(Layer.mergeAll(routes, docs, ui, notFound).pipe(Layer.provide(requestMetrics.layer)), cors)
    })
  )
