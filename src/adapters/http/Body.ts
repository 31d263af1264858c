import { Readable } from "node:stream"
import type { HttpServerRequest } from "@effect/platform"
import { Effect, ParseResult, Schema } from "effect"
import { fail } from "./Problems.js"

/**
 * Reads a Node request body up to `maxBytes`. Past the limit it stops keeping the bytes but lets
 * the rest drain, so the 413 reaches the client (destroying the request would hang up on it); the
 * 413 closes the connection, which ends an upload that would go on.
 */
const readNode = (source: Readable, maxBytes: number) =>
  Effect.async<Buffer, "too large" | "unreadable">((resume) => {
    const chunks: Array<Buffer> = []
    let seen = 0
    const stop = () => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onError)
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
    return Effect.sync(stop)
  })

/** The request body as JSON, within the size limit, decoded with `schema` (400 with what was wrong, 413 when too large). */
export const readJson = <A, I>(request: HttpServerRequest.HttpServerRequest, schema: Schema.Schema<A, I>, maxBytes: number, correlationId: string) =>
  Effect.gen(function* () {
    const headers = { "x-correlation-id": correlationId }
    const tooLarge = () => fail("PayloadTooLarge", `the request body is larger than ${maxBytes} bytes (http.max_body_bytes)`, { ...headers, connection: "close" })
    const unreadable = () => fail("BadRequest", "the request body could not be read", headers)
    const declared = Number(request.headers["content-length"] ?? "NaN")
    if (Number.isFinite(declared) && declared > maxBytes) return yield* Effect.fail(tooLarge())
    // a Node server's request streams; a cloud event's body is already whole
    const body =
      request.source instanceof Readable
        ? yield* Effect.mapError(readNode(request.source, maxBytes), (e) => (e === "too large" ? tooLarge() : unreadable()))
        : Buffer.from(yield* Effect.mapError(request.arrayBuffer, unreadable))
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
