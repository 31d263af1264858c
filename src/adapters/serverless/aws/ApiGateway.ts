import { bodyBytes, headerRecord, plainRequest } from "../HttpBridge.js"
import type { PlainRequest, PlainResponse } from "../PlainHttp.js"
import type { Problem } from "../Runtime.js"
import type { HttpV1Event, HttpV2Event } from "./Events.js"

const headersOf = (given: Readonly<Record<string, string | null | undefined>> | null | undefined) => headerRecord(Object.entries(given ?? {}))

/** Payload 2.0 (HTTP API, Function URL) as a request; a named stage's prefix is taken off the path. */
export const fromV2 = (event: HttpV2Event): PlainRequest | Problem => {
  const body = bodyBytes(event.body, event.isBase64Encoded === true)
  if ("problem" in body) return body.problem
  const stage = event.requestContext.stage
  const path = stage !== undefined && stage !== "$default" && event.rawPath.startsWith(`/${stage}/`) ? event.rawPath.slice(stage.length + 1) : event.rawPath
  const headers = headersOf(event.headers)
  if (event.cookies !== undefined && event.cookies.length > 0) headers["cookie"] = event.cookies.join("; ")
  headers["host"] ??= event.requestContext.domainName ?? "lambda.local"
  const query = event.rawQueryString !== undefined && event.rawQueryString !== "" ? `?${event.rawQueryString}` : ""
  return plainRequest(event.requestContext.http.method, `${path}${query}`, headers, body.bytes)
}

/** Payload 1.0 (REST API) as a request. */
export const fromV1 = (event: HttpV1Event): PlainRequest | Problem => {
  const body = bodyBytes(event.body, event.isBase64Encoded === true)
  if ("problem" in body) return body.problem
  const headers = headersOf(event.headers)
  headers["host"] ??= event.requestContext?.domainName ?? "lambda.local"
  const query = new URLSearchParams()
  if (event.multiValueQueryStringParameters) {
    for (const [k, vs] of Object.entries(event.multiValueQueryStringParameters)) for (const v of vs) query.append(k, v)
  } else for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (typeof v === "string") query.append(k, v)
  const q = query.toString()
  return plainRequest(event.httpMethod, `${event.path}${q === "" ? "" : `?${q}`}`, headers, body.bytes)
}

export interface ProxyResult {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly isBase64Encoded: false
  readonly cookies?: ReadonlyArray<string>
  readonly multiValueHeaders?: Readonly<Record<string, ReadonlyArray<string>>>
}

/** The answer in the shape API Gateway expects for the event's payload version. */
export const toResult = (version: "1.0" | "2.0", r: PlainResponse): ProxyResult => ({
  statusCode: r.status,
  headers: r.headers,
  body: r.body,
  isBase64Encoded: false,
  ...(r.cookies.length === 0 ? {} : version === "2.0" ? { cookies: r.cookies } : { multiValueHeaders: { "set-cookie": r.cookies } })
})
