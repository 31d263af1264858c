import { Duration, Effect, Layer, Schedule } from "effect"
import { Webhooks } from "../../ports/Webhooks.js"

/**
 * POSTs the body with fetch: 3 tries (backoff 200 ms, then 400 ms), each cut at `timeoutMillis`;
 * a non-2xx answer is a failed try. A webhook that never answers well is logged, never fails the run.
 */
export const layer = (timeoutMillis: number) =>
  Layer.succeed(
    Webhooks,
    Webhooks.of({
      deliver: (url, body) =>
        Effect.tryPromise({
          try: async (signal) => {
            const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal })
            await response.arrayBuffer().catch(() => undefined)
            if (!response.ok) throw new Error(`HTTP ${response.status}`)
          },
          catch: (e) => (e instanceof Error ? e.message : String(e))
        }).pipe(
          Effect.timeoutFail({ duration: Duration.millis(timeoutMillis), onTimeout: () => `no answer within ${timeoutMillis} ms` }),
          Effect.retry(Schedule.exponential("200 millis").pipe(Schedule.intersect(Schedule.recurs(2)))),
          Effect.catchAll((reason) => Effect.logWarning(`webhook ${url} failed after 3 tries: ${reason}`))
        )
    })
  )
