import { Readable } from "node:stream"
import type { HttpServerRequest } from "@effect/platform"
import { Chunk, Effect, ParseResult, Schema, Stream } from "effect"
import { fail } from "./Problems.js"

/** Marks a request source whose body is already whole in memory (a cloud event's), so reading it needs no limit on the way. */
export const WHOLE_BODY = Symbol.for("agentmap/whole-body")

type Failure = "too large" | "unreadable"

/**
 * Reads a Node request body up to `maxBytes`. Past the limit it stops keeping the bytes but lets
 * the rest drain, so the 413 reaches the client (destroying the request would hang up on it); the
 * 413 closes the connection, which ends an upload that would go on.
 */
const readNode = (source: Readable, maxBytes: number) =>
  Effect.async<Buffer, Failure>((resume) => {
    // already read (a host's body parser ran first) or gone: there is nothing left to read
    if (source.readableEnded || source.destroyed) return resume(Effect.fail("unreadable"))
    const chunks: Array<Buffer> = []
    let seen = 0
    const stop = () => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onError)
      source.off("close", onError)
      source.on("data", () => undefined)
    }
    const onData = (chunk: Buffer) => {
      seen += chunk.length
      if (seen <= maxBytes) return void chunks.push(chunk)
      stop()
      resume(Effect.fail("too large"))
    }
    const onEnd = () => {
      stop()
      resume(Effect.succeed(Buffer.concat(chunks)))
    }
    const onError = () => {
      stop()
      resume(Effect.fail("unreadable"))
    }
    source.on("data", onData)
    source.once("end", onEnd)
    source.once("error", onError)
    source.once("close", onError)
    return Effect.sync(stop)
  })

/** Any other streamed body (a web Request's): counted chunk by chunk against the limit. */
const readStream = (request: HttpServerRequest.HttpServerRequest, maxBytes: number) =>
  request.stream.pipe(
    Stream.mapAccumEffect(0, (seen, chunk: Uint8Array) =>
      seen + chunk.length > maxBytes ? Effect.fail<Failure>("too large") : Effect.succeed([seen + chunk.length, chunk] as const)
    ),
    Stream.runCollect,
    Effect.map((chunks) => Buffer.concat(Chunk.toReadonlyArray(chunks))),
    Effect.mapError((e): Failure => (e === "too large" ? e : "unreadable"))
  )

const readBody = (request: HttpServerRequest.HttpServerRequest, maxBytes: number): Effect.Effect<Buffer, Failure> => {
  const source = request.source as { readonly [WHOLE_BODY]?: boolean } | undefined
  if (source instanceof Readable) return readNode(source, maxBytes)
  if (source?.[WHOLE_BODY] === true)
    return Effect.map(
      Effect.mapError(request.arrayBuffer, (): Failure => "unreadable"),
      (b) => Buffer.from(b)
    )
  return readStream(request, maxBytes)
}

/** The request body as JSON, within the size limit, decoded with `schema` (400 with what was wrong, 413 when too large). */
export const readJson = <A, I>(request: HttpServerRequest.HttpServerRequest, schema: Schema.Schema<A, I>, maxBytes: number, correlationId: string) =>
  Effect.gen(function* () {
    const headers = { "x-correlation-id": correlationId }
    const tooLarge = () => fail("PayloadTooLarge", `the request body is larger than ${maxBytes} bytes (http.max_body_bytes)`, { ...headers, connection: "close" })
    const declared = Number(request.headers["content-length"] ?? "NaN")
    if (Number.isFinite(declared) && declared > maxBytes) return yield* Effect.fail(tooLarge())
    const body = yield* Effect.mapError(readBody(request, maxBytes), (e) =>
      e === "too large" ? tooLarge() : fail("BadRequest", "the request body could not be read", headers)
    )
    if (body.length > maxBytes) return yield* Effect.fail(tooLarge())
    const text = body.toString("utf8")
    const parsed = yield* Effect.try({
      try: () => (text.trim() === "" ? {} : (JSON.parse(text) as unknown)),
      catch: (e) => fail("BadRequest", `malformed JSON body: ${e instanceof Error ? e.message : String(e)}`, headers)
    })
    return yield* Schema.decodeUnknown(schema)(parsed).pipe(
      Effect.mapError((e) => fail("BadRequest", `invalid request body: ${ParseResult.TreeFormatter.formatErrorSync(e).replace(/\s+/g, " ")}`, headers))
    )
  })
