import { Readable } from "node:stream"
import type { HttpServerRequest } from "@effect/platform"
import { Chunk, Effect, ParseResult, Schema, Stream } from "effect"
import { fail } from "./Problems.js"
import { drainRefusedUpload } from "./UploadDrain.js"

/** Marks a request source whose body is already whole in memory (a cloud event's), so reading it needs no limit on the way. */
export const WHOLE_BODY = Symbol.for("agentmap/whole-body")

type Failure = "too large" | "unreadable"

/**
 * Reads a Node request body up to `maxBytes`. Past the limit it stops keeping the bytes and
 * drains the rest (within bounds), so the 413 reaches the client: destroying the request would
 * hang up on it.
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
      drainRefusedUpload(source)
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

/** A request body: the struct it decodes with, and its shape as the message refusing other keys shows it. */
export interface JsonBody<F extends Schema.Struct.Fields> {
  readonly schema: Schema.Struct<F>
  readonly shape: string
}

/**
 * Keys of a JSON object that `fields` does not have (own keys only: `constructor` or `__proto__`
 * are unknown too). A misplaced key would otherwise be dropped without a word: `{"name": "A"}`
 * instead of `{"state": {"name": "A"}}` runs with an empty state.
 */
const unknownKeys = (parsed: unknown, fields: Schema.Struct.Fields): ReadonlyArray<string> =>
  typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed).filter((k) => !Object.hasOwn(fields, k)) : []

const SHOWN = 5
const quoted = (key: string) => `'${key.length > 64 ? `${key.slice(0, 64)}…` : key}'`

const unknownKeysMessage = (keys: ReadonlyArray<string>, shape: string) =>
  `unknown key${keys.length === 1 ? "" : "s"} ${keys.slice(0, SHOWN).map(quoted).join(", ")}${keys.length > SHOWN ? ` (and ${keys.length - SHOWN} more)` : ""} in the request body; expected ${shape}`

/**
 * The request body as JSON, within the size limit, decoded with `body.schema`: 400 with what was
 * wrong (a key the body does not have included), 413 when too large. An empty body is `{}`.
 */
export const readJson = <F extends Schema.Struct.Fields>(request: HttpServerRequest.HttpServerRequest, body: JsonBody<F>, maxBytes: number, correlationId: string) =>
  Effect.gen(function* () {
    const headers = { "x-correlation-id": correlationId }
    const tooLarge = () => fail("PayloadTooLarge", `the request body is larger than ${maxBytes} bytes (http.max_body_bytes)`, headers)
    const declared = Number(request.headers["content-length"] ?? "NaN")
    if (Number.isFinite(declared) && declared > maxBytes) {
      // answered before reading it: the upload is drained while the 413 goes out
      if (request.source instanceof Readable) drainRefusedUpload(request.source)
      return yield* Effect.fail(tooLarge())
    }
    const bytes = yield* Effect.mapError(readBody(request, maxBytes), (e) =>
      e === "too large" ? tooLarge() : fail("BadRequest", "the request body could not be read", headers)
    )
    if (bytes.length > maxBytes) return yield* Effect.fail(tooLarge())
    const text = bytes.toString("utf8")
    const parsed = yield* Effect.try({
      try: () => (text.trim() === "" ? {} : (JSON.parse(text) as unknown)),
      catch: (e) => fail("BadRequest", `malformed JSON body: ${e instanceof Error ? e.message : String(e)}`, headers)
    })
    const unknown = unknownKeys(parsed, body.schema.fields)
    if (unknown.length > 0) return yield* Effect.fail(fail("BadRequest", unknownKeysMessage(unknown, body.shape), headers))
    return yield* Schema.decodeUnknown(body.schema)(parsed).pipe(
      Effect.mapError((e) => fail("BadRequest", `invalid request body: ${ParseResult.TreeFormatter.formatErrorSync(e).replace(/\s+/g, " ")}`, headers))
    )
  })
