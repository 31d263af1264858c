import type { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { correlationIdOf } from "./Gate.js"
import * as Metrics from "../../application/Metrics.js"
import { fail } from "./Problems.js"

/** The methods the router can route at all (find-my-way's list); a request with another never reaches a route. */
const ROUTABLE = new Set(["ACL", "BIND", "CHECKOUT", "CONNECT", "COPY", "DELETE", "GET", "HEAD", "LINK", "LOCK", "M-SEARCH", "MERGE", "MKACTIVITY", "MKCALENDAR", "MKCOL", "MOVE", "NOTIFY", "OPTIONS", "PATCH", "POST", "PROPFIND", "PROPPATCH", "PURGE", "PUT", "REBIND", "REPORT", "SEARCH", "SOURCE", "SUBSCRIBE", "TRACE", "UNBIND", "UNLINK", "UNLOCK", "UNSUBSCRIBE"])

const ALLOW = "GET, POST, OPTIONS"

/** Why a request's method can never be routed (any token is a method to a web or cloud request), or undefined. */
const unroutableMethod = (method: string, path: string): string | undefined =>
  ROUTABLE.has(method) ? undefined : `no route ${method} ${path}: AgentMap answers ${ALLOW}`

/** The router's own failure for a request no route takes; it carries the request. */
interface RouteNotFound {
  readonly _tag: "RouteNotFound"
  readonly request: HttpServerRequest.HttpServerRequest
}
const routeNotFound = (e: unknown): e is RouteNotFound => typeof e === "object" && e !== null && (e as { readonly _tag?: unknown })._tag === "RouteNotFound"

/** A request no route takes answered as every other error: a JSON problem document (404, or 405 for a method no route could take). */
export const answerUnmatched = <E, R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.catchIf(app, routeNotFound, ({ request }) => {
    const full = request.url.split("?")[0] ?? "/"
    const path = full.length > 200 ? `${full.slice(0, 200)}…` : full
    const unroutable = unroutableMethod(request.method, path)
    const headers = { "x-correlation-id": correlationIdOf(request) }
    const response = unroutable === undefined ? fail("NotFound", `no route ${request.method} ${path}`, headers) : fail("MethodNotAllowed", unroutable, { ...headers, allow: ALLOW })
    // no route template to name: one bounded label for all of them (and for methods no route knows)
    return Effect.as(Metrics.count(Metrics.httpRequests, { method: unroutable === undefined ? request.method : "OTHER", route: "(unmatched)", status: String(response.status) }), response)
  })

/** What Node's HTTP parser refuses before any route sees it (a bad method, oversized headers), as a JSON problem document. */
export const rawProblem = (status: 400 | 431, message: string) => {
  const body = JSON.stringify({ error: status === 431 ? "HeadersTooLarge" : "BadRequest", message })
  return `HTTP/1.1 ${status} ${status === 431 ? "Request Header Fields Too Large" : "Bad Request"}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
}
