import { bodyBytes, requestInit } from "../HttpBridge.js"
import type { Problem } from "../Runtime.js"
import type { HttpV1Event, HttpV2Event } from "./Events.js"

const headersOf = (given: Readonly<Record<string, string | null | undefined>> | null | undefined) => {
  const headers = new Headers()
  for (const [k, v] of Object.entries(given ?? {})) if (typeof v === "string") headers.set(k, v)
  return headers
}

/** Payload 2.0 (HTTP API, Function URL) as a web Request; a named stage's prefix is taken off the path. */
export const fromV2 = (event: HttpV2Event): Request | Problem => {
  const body = bodyBytes(event.body, event.isBase64Encoded === true)
  if ("problem" in body) return body.problem
  const stage = event.requestContext.stage
  const path = stage !== undefined && stage !== "$default" && event.rawPath.startsWith(`/${stage}/`) ? event.rawPath.slice(stage.length + 1) : event.rawPath
  const headers = headersOf(event.headers)
  if (event.cookies !== undefined && event.cookies.length > 0) headers.set("cookie", event.cookies.join("; "))
  const host = headers.get("host") ?? event.requestContext.domainName ?? "lambda.local"
  const query = event.rawQueryString !== undefined && event.rawQueryString !== "" ? `?${event.rawQueryString}` : ""
  return new Request(`https://${host}${path}${query}`, requestInit(event.requestContext.http.method.toUpperCase(), headers, body.bytes))
}

/** Payload 1.0 (REST API) as a web Request. */
export const fromV1 = (event: HttpV1Event): Request | Problem => {
  const body = bodyBytes(event.body, event.isBase64Encoded === true)
  if ("problem" in body) return body.problem
  const headers = headersOf(event.headers)
  const host = headers.get("host") ?? event.requestContext?.domainName ?? "lambda.local"
  const query = new URLSearchParams()
  if (event.multiValueQueryStringParameters) {
    for (const [k, vs] of Object.entries(event.multiValueQueryStringParameters)) for (const v of vs) query.append(k, v)
  } else for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (typeof v === "string") query.append(k, v)
  const q = query.toString()
  return new Request(`https://${host}${event.path}${q === "" ? "" : `?${q}`}`, requestInit(event.httpMethod.toUpperCase(), headers, body.bytes))
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
export const toResult = (version: "1.0" | "2.0", r: { status: number; headers: Record<string, string>; cookies: ReadonlyArray<string>; body: string }): ProxyResult => ({
  statusCode: r.status,
  headers: r.headers,
  body: r.body,
  isBase64Encoded: false,
  ...(r.cookies.length === 0 ? {} : version === "2.0" ? { cookies: r.cookies } : { multiValueHeaders: { "set-cookie": r.cookies } })
})
