import { HttpLayerRouter, type HttpServerRequest, OpenApi } from "@effect/platform"
import { Effect, Layer } from "effect"
import { AgentMapApi } from "./Api.js"
import { docsAsset } from "./DocsAssets.js"
import { docsPage } from "./DocsPage.js"
import { correlationIdOf } from "./Gate.js"
import { handlersFor } from "./Handlers.js"
import { HttpSettings } from "./HttpSettings.js"
import { fail } from "./Problems.js"

export interface RouteOptions {
  /** Mount everything under this path (`/agentmap`): routes, `/openapi.json` and `/docs`. */
  readonly prefix?: `/${string}`
}

/**
 * Every AgentMap route as one layer for an @effect/platform HttpLayerRouter: the HttpApi
 * (which also serves `/openapi.json`), the docs page, JSON 404s for unknown paths under the
 * prefix, and CORS when configured. A host application merges it into its own router.
 */
export const layer = (options: RouteOptions = {}) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const settings = yield* HttpSettings
      const prefix = options.prefix ?? ""
      // one version everywhere: /openapi.json's info.version is the package's, like /health and --version
      const api = (prefix === "" ? AgentMapApi : AgentMapApi.prefix(prefix as `/${string}`)).annotate(OpenApi.Version, settings.version)
      const handlers = handlersFor(api)
      const routes = HttpLayerRouter.addHttpApi(api, { openapiPath: `${prefix}/openapi.json` as `/${string}` }).pipe(Layer.provide(handlers))
      const docs = HttpLayerRouter.use((router) =>
        Effect.zipRight(
          router.add("GET", `${prefix}/docs` as `/${string}`, (request: HttpServerRequest.HttpServerRequest) => Effect.succeed(docsPage(request))),
          router.add("GET", `${prefix}/docs/:file` as `/${string}`, (request: HttpServerRequest.HttpServerRequest) =>
            Effect.flatMap(HttpLayerRouter.params, (params) => docsAsset(params["file"] ?? "", correlationIdOf(request)))
          )
        )
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
            allowedMethods: ["GET", "POST", "OPTIONS"],
            allowedHeaders: ["content-type", "x-api-key", "authorization", "x-correlation-id", ...settings.cors.allowHeaders],
            exposedHeaders: ["x-correlation-id", "retry-after"],
            credentials: settings.cors.allowCredentials,
            maxAge: settings.cors.maxAgeSeconds
          })
      return Layer.mergeAll(routes, docs, notFound, cors)
    })
  )
