import type { PlainRequest, PlainResponse } from "./PlainHttp.js"
import { type Container, type Problem, startProblem } from "./Runtime.js"

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** A body as the platform hands it over (text, or base64 when flagged): invalid base64 is the caller's error. */
export const bodyBytes = (body: string | null | undefined, base64: boolean): { readonly bytes: Uint8Array | undefined } | { readonly problem: Problem } => {
  if (body === null || body === undefined || body === "") return { bytes: undefined }
  if (!base64) return { bytes: Buffer.from(body, "utf8") }
  const compact = body.replace(/\s+/g, "")
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return { problem: { error: "BadRequest", message: "the request body is flagged base64 but is not valid base64" } }
  return { bytes: Buffer.from(compact, "base64") }
}

/** Header names lower-cased, values that are not text dropped, repeated ones joined. */
export const headerRecord = (entries: Iterable<readonly [string, string | ReadonlyArray<string> | null | undefined]>): Record<string, string> => {
  const headers: Record<string, string> = {}
  for (const [k, v] of entries) {
    if (typeof v === "string") headers[k.toLowerCase()] = v
    else if (Array.isArray(v)) headers[k.toLowerCase()] = v.join(", ")
  }
  return headers
}

/** A request decoded from an event; GET and HEAD carry no body. */
export const plainRequest = (method: string, url: string, headers: Record<string, string>, body: Uint8Array | undefined): PlainRequest => {
  const m = method.toUpperCase()
  return { method: m, url, headers, body: m === "GET" || m === "HEAD" || body === undefined || body.length === 0 ? undefined : body }
}

/** A JSON error answer in the HTTP server's shape, for problems found before the routes run. */
export const problemResponse = (status: number, problem: Problem, correlationId: string): PlainResponse => ({
  status,
  headers: { "content-type": "application/json", "x-correlation-id": correlationId },
  cookies: [],
  body: JSON.stringify({ ...problem, correlation_id: correlationId })
})

/** The container for an HTTP request, or the 500 answer saying why it could not start. */
export const containerForHttp = (container: (correlationId: string) => Promise<Container>, correlationId: string): Promise<Container | PlainResponse> =>
  container(correlationId).catch((e: unknown) => problemResponse(500, startProblem(e), correlationId))

/** Whether `containerForHttp` gave the answer already (the container did not start). */
export const isAnswer = (c: Container | PlainResponse): c is PlainResponse => "status" in c

/**
 * Answers a request with the HTTP server's routes. The platform's request id becomes the
 * correlation id unless the caller sent one of its own. A container that can never let a request
 * in answers every one (`/health` too: a probe should see the function cannot serve) with 503.
 */
export const answer = async (container: Container, request: PlainRequest, platformRequestId: string): Promise<PlainResponse> =>
  container.httpRefusal !== undefined
    ? problemResponse(503, container.httpRefusal, platformRequestId)
    : container.http(request.headers["x-correlation-id"] !== undefined ? request : { ...request, headers: { ...request.headers, "x-correlation-id": platformRequestId } }, platformRequestId)
