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

/** A JSON error answer in the HTTP server's shape, for problems found before the routes run. */
export const problemResponse = (status: number, problem: Problem, correlationId: string) =>
  new Response(JSON.stringify({ ...problem, correlation_id: correlationId }), {
    status,
    headers: { "content-type": "application/json", "x-correlation-id": correlationId }
  })

/** The container for an HTTP request, or the 500 answer saying why it could not start. */
export const containerForHttp = (container: (correlationId: string) => Promise<Container>, correlationId: string): Promise<Container | Response> =>
  container(correlationId).catch((e: unknown) => problemResponse(500, startProblem(e), correlationId))

/**
 * Answers a request with the HTTP server's routes. The platform's request id becomes the
 * correlation id unless the caller sent one of its own.
 */
export const answer = (container: Container, request: Request, platformRequestId: string): Promise<Response> => {
  if (!request.headers.has("x-correlation-id")) request.headers.set("x-correlation-id", platformRequestId)
  return container.fetch(request)
}

/** A response read whole (serverless platforms send bodies in one piece; a stream's events arrive together at its end). */
export const readResponse = async (response: Response) => {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value
  })
  return { status: response.status, headers, cookies: response.headers.getSetCookie(), body: await response.text() }
}

export const requestInit = (method: string, headers: Headers, bytes: Uint8Array | undefined): RequestInit =>
  method === "GET" || method === "HEAD" || bytes === undefined ? { method, headers } : { method, headers, body: bytes as unknown as BodyInit }
