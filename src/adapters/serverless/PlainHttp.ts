import { Cookies, HttpApp, HttpLayerRouter, HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Chunk, Context, Effect, Exit, Layer, Scope, Stream } from "effect"
import { WHOLE_BODY } from "../http/Body.js"
import { answerUnmatched } from "../http/Unmatched.js"

/** An HTTP request as a cloud event carries it: path with query, lower-case headers, the body's bytes. */
export interface PlainRequest {
  readonly method: string
  /** Path and query (`/execute/chain?x=1`). */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | undefined
}

/** The answer read whole: serverless platforms send bodies in one piece (a stream's events arrive together at its end). */
export interface PlainResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly cookies: ReadonlyArray<string>
  readonly body: string
}

const decoder = new TextDecoder()

/**
 * The request as the platform's `fromWeb` reads it (method, url, headers, body reader, text,
 * arrayBuffer) without building a web Request: the first one would load undici, which costs a cold
 * container more than the rest of the HTTP layer.
 */
const sourceOf = (request: PlainRequest) => {
  const bytes = request.body
  return {
    [WHOLE_BODY]: true,
    method: request.method,
    url: request.url,
    headers: request.headers,
    body:
      bytes === undefined
        ? null
        : {
            getReader: () => {
              let read = false
              return {
                read: async () => (read ? { done: true, value: undefined } : ((read = true), { done: false, value: bytes })),
                cancel: async () => undefined,
                releaseLock: () => undefined
              }
            }
          },
    text: async () => (bytes === undefined ? "" : decoder.decode(bytes)),
    // a copy of exactly these bytes: a Node Buffer's `.buffer` may be a shared pool larger than the body
    arrayBuffer: async () => (bytes === undefined ? new ArrayBuffer(0) : Uint8Array.prototype.slice.call(bytes).buffer)
  }
}

const bodyText = (response: HttpServerResponse.HttpServerResponse): Effect.Effect<string, unknown> => {
  const body = response.body
  switch (body._tag) {
    case "Empty":
    case "FormData":
      return Effect.succeed("")
    case "Uint8Array":
      return Effect.succeed(decoder.decode(body.body))
    case "Raw":
      return Effect.succeed(typeof body.body === "string" ? body.body : body.body instanceof Uint8Array ? decoder.decode(body.body) : String(body.body ?? ""))
    case "Stream":
      return Effect.map(Stream.runCollect(body.stream), (chunks) => Chunk.toReadonlyArray(chunks).map((c) => decoder.decode(c, { stream: true })).join("") + decoder.decode())
  }
}

const plainOf = (response: HttpServerResponse.HttpServerResponse) =>
  Effect.map(bodyText(response), (body): PlainResponse => ({
    status: response.status,
    headers: { ...response.headers },
    cookies: Cookies.isEmpty(response.cookies) ? [] : Cookies.toSetCookieHeaders(response.cookies),
    body
  }))

/**
 * Serves an HttpLayerRouter application to plain requests: the same router, middleware and error
 * handling as `HttpLayerRouter.toWebHandler`, minus the web Request and Response around them. The
 * answer is an Effect run by the caller's runtime, so the request is logged and traced by its
 * loggers and tracer (the routes' own runtime holds only their services).
 */
export const makePlainHandler = <A, E>(routes: Layer.Layer<A, E, HttpLayerRouter.HttpRouter>): ((request: PlainRequest) => Effect.Effect<PlainResponse>) => {
  // kept for the container's life, like the runtime it serves
  const scope = Effect.runSync(Scope.make())
  const built = Effect.runPromise(
    Effect.gen(function* () {
      const runtime = yield* Layer.toRuntime(Layer.provideMerge(routes, HttpLayerRouter.layer))
      return { runtime, app: answerUnmatched(Context.get(runtime.context, HttpLayerRouter.HttpRouter).asHttpEffect()) }
    }).pipe(Scope.extend(scope))
  )
  return (request) =>
    Effect.gen(function* () {
      const { runtime, app } = yield* Effect.promise(() => built)
      let answered: PlainResponse | undefined
      const handled = HttpApp.toHandled(app, (_request, response) => Effect.map(plainOf(response), (plain) => void (answered = plain)))
      const exit = yield* Effect.exit(
        Effect.provide(
          Effect.provideService(handled as Effect.Effect<void>, HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(sourceOf(request) as unknown as Request)),
          runtime.context
        )
      )
      if (answered !== undefined) return answered
      return { status: 500, headers: { "content-type": "application/json" }, cookies: [], body: JSON.stringify({ error: "InternalError", message: Exit.isFailure(exit) ? "internal error" : "no response" }) }
    })
}
