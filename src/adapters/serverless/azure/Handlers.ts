import { containerForDelivery, deliver, jsonBody, payload, single, unusable, type Carried } from "../Delivery.js"
import { answer, containerForHttp, isAnswer, plainRequest } from "../HttpBridge.js"
import type { PlainResponse } from "../PlainHttp.js"
import { containerRuntime, type RuntimeOptions } from "../Runtime.js"

/** The parts of @azure/functions' HttpRequest the handler reads (v4 programming model). */
export interface AzureHttpRequest {
  readonly method: string
  readonly url: string
  readonly headers: { forEach: (f: (value: string, key: string) => void) => void }
  readonly arrayBuffer: () => Promise<ArrayBuffer>
}

/** The parts of @azure/functions' InvocationContext the handlers read. */
export interface AzureContext {
  readonly invocationId: string
  readonly triggerMetadata?: Readonly<Record<string, unknown>>
}

export interface AzureHttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Azure Functions handlers over one container runtime; HTTP routes live under the host's `api/` prefix. */
export const makeHandlers = (options: RuntimeOptions = { prefix: "/api" }) => {
  const container = containerRuntime({ platform: "azure", ...options })

  // Azure sends Set-Cookie from `cookies`; AgentMap sets none, so headers are the whole answer
  const send = (r: PlainResponse): AzureHttpResponse => ({ status: r.status, headers: r.headers, body: r.body })

  const http = async (request: AzureHttpRequest, context: AzureContext): Promise<AzureHttpResponse> => {
    const id = context.invocationId
    const c = await containerForHttp(container, id)
    if (isAnswer(c)) return send(c)
    const headers: Record<string, string> = {}
    request.headers.forEach((value, key) => void (headers[key.toLowerCase()] = value))
    const method = request.method.toUpperCase()
    const bytes = method === "GET" || method === "HEAD" ? undefined : new Uint8Array(await request.arrayBuffer())
    const url = new URL(request.url, "http://localhost")
    return send(await answer(c, plainRequest(method, `${url.pathname}${url.search}`, headers, bytes), id))
  }

  /** A storage-queue message: runs once per message id; a failure throws so the host retries and finally poison-queues it. */
  const queue = async (item: unknown, context: AzureContext): Promise<unknown> => {
    const id = context.invocationId
    const c = await containerForDelivery(container, id)
    const messageId = typeof context.triggerMetadata?.["id"] === "string" ? context.triggerMetadata["id"] : undefined
    return single(await deliver(c, carried(item, c.config.http.maxBodyBytes), messageId === undefined ? undefined : `azure-queue:${messageId}`, id), id)
  }

  return { http, queue }
}

/** The host hands over JSON messages parsed, others as text or bytes. */
const carried = (item: unknown, maxBytes: number): Carried => {
  if (typeof item === "string") return jsonBody(item, maxBytes, "the queue message")
  if (Buffer.isBuffer(item) || item instanceof Uint8Array) return jsonBody(Buffer.from(item).toString("utf8"), maxBytes, "the queue message")
  if (typeof item === "object" && item !== null) {
    const size = Buffer.byteLength(JSON.stringify(item), "utf8")
    return size > maxBytes ? unusable("PayloadTooLarge", `the queue message is larger than ${maxBytes} bytes (http.max_body_bytes)`) : payload(item)
  }
  return unusable("BadRequest", "the queue message is not a JSON object")
}
