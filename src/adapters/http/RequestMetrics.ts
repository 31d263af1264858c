import { HttpLayerRouter, HttpRouter, HttpServerRequest } from "@effect/platform"
import { Clock, Effect, Exit } from "effect"
import * as Metrics from "../../application/Metrics.js"

/** Requests counted and timed by method, route template (never the raw path: bounded labels) and status. */
export const recordRequest = (method: string, route: string, status: number, seconds: number) =>
  Effect.zipRight(
    Metrics.count(Metrics.httpRequests, { method, route, status: String(status) }),
    Metrics.observe(Metrics.httpDuration, { method, route }, seconds)
  )

/**
 * Every routed request, by the template of the route that took it (`/execute/:workflow/:graph`,
 * `/resume/:thread_id`, `*` for the JSON 404). A failure that escapes a handler is counted as
 * the 500 it becomes.
 */
export const requestMetrics = HttpLayerRouter.middleware((app) =>
  Effect.gen(function* () {
    const { route } = yield* HttpRouter.RouteContext
    const request = yield* HttpServerRequest.HttpServerRequest
    const t0 = yield* Clock.currentTimeNanos
    return yield* app.pipe(
      Effect.onExit((exit) =>
        Effect.flatMap(Clock.currentTimeNanos, (t1) =>
          recordRequest(request.method, route.path, Exit.isSuccess(exit) ? exit.value.status : 500, Number(t1 - t0) / 1e9)
        )
      )
    )
  })
)
