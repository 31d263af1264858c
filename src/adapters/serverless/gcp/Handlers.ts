import type { IncomingHttpHeaders } from "node:http"
import { randomUUID } from "node:crypto"
import { isJsonObject } from "../../../domain/Json.js"
import { objectMappingFor, payloadFor } from "../../../domain/TriggerMapping.js"
import { type Carried, containerForDelivery, deliver, jsonBody, single, unusable, payload } from "../Delivery.js"
import { answer, bodyBytes, headerRecord, plainRequest, problemResponse } from "../HttpBridge.js"
import type { PlainResponse } from "../PlainHttp.js"
import { type Container, containerRuntime, type RuntimeOptions, startProblem } from "../Runtime.js"

/** The parts of the functions framework's (Express) request the handler reads. */
export interface GcpRequest {
  readonly method: string
  readonly originalUrl?: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  /** The unparsed body, which the functions framework keeps beside the parsed one. */
  readonly rawBody?: Buffer
  readonly body?: unknown
}

export interface GcpResponse {
  status: (code: number) => GcpResponse
  set: (field: string, value: string) => GcpResponse
  send: (body: string) => unknown
}

/** A CloudEvent as the functions framework delivers it (binary and structured mode alike). */
export interface CloudEventLike {
  readonly id: string
  readonly type: string
  readonly source?: string
  readonly subject?: string
  readonly time?: string
  readonly data?: unknown
}

export const PUBSUB = "google.cloud.pubsub.topic.v1.messagePublished"
export const STORAGE_FINALIZED = "google.cloud.storage.object.v1.finalized"

/** The platform's id for this execution: `function-execution-id`, else the trace id. */
const executionId = (headers: IncomingHttpHeaders) => {
  const given = headers["function-execution-id"]
  if (typeof given === "string" && given !== "") return given
  const trace = headers["x-cloud-trace-context"]
  if (typeof trace === "string" && trace !== "") return trace.split("/")[0]!
  return randomUUID()
}

const rawBodyOf = (req: GcpRequest): Uint8Array | undefined => {
  if (req.rawBody !== undefined) return req.rawBody.length === 0 ? undefined : req.rawBody
  if (typeof req.body === "string") return req.body === "" ? undefined : Buffer.from(req.body)
  if (req.body !== undefined && req.body !== null && !(isJsonObject(req.body) && Object.keys(req.body).length === 0)) return Buffer.from(JSON.stringify(req.body))
  return undefined
}

/** Google Cloud Functions handlers over one container runtime. */
export const makeHandlers = (options: RuntimeOptions = {}) => {
  const container = containerRuntime({ platform: "gcp", ...options })

  const http = async (req: GcpRequest, res: GcpResponse): Promise<void> => {
    const id = executionId(req.headers)
    let r: PlainResponse
    try {
      const c = await container(id)
      r = await answer(c, plainRequest(req.method, req.originalUrl ?? req.url, headerRecord(Object.entries(req.headers)), rawBodyOf(req)), id)
    } catch (e) {
      r = problemResponse(500, startProblem(e), id)
    }
    res.status(r.status)
    for (const [k, v] of Object.entries(r.headers)) res.set(k, v)
    res.send(r.body)
  }

  const pubsub = (c: Container, event: CloudEventLike): { carried: Carried; messageId: string } => {
    const message = isJsonObject(event.data) && isJsonObject(event.data["message"]) ? event.data["message"] : undefined
    const messageId = `pubsub:${typeof message?.["messageId"] === "string" ? message["messageId"] : event.id}`
    if (message === undefined || typeof message["data"] !== "string")
      return { carried: unusable("BadRequest", "the Pub/Sub event has no message.data"), messageId }
    const decoded = bodyBytes(message["data"], true)
    if ("problem" in decoded) return { carried: unusable("BadRequest", "the Pub/Sub message.data is not valid base64"), messageId }
    return { carried: jsonBody(Buffer.from(decoded.bytes ?? new Uint8Array()).toString("utf8"), c.config.http.maxBodyBytes, "the Pub/Sub message"), messageId }
  }

  const storage = (c: Container, event: CloudEventLike): { carried: Carried; messageId: string } => {
    const data = isJsonObject(event.data) ? event.data : {}
    const bucket = typeof data["bucket"] === "string" ? data["bucket"] : ""
    const name = typeof data["name"] === "string" ? data["name"] : ""
    const messageId = `gcs:${bucket}/${name}#${String(data["generation"] ?? event.id)}`
    if (bucket === "" || name === "") return { carried: unusable("BadRequest", "the Cloud Storage event has no bucket or object name"), messageId }
    const mapping = objectMappingFor(c.triggers.gcs, bucket, name)
    if (mapping === undefined) return { carried: unusable("InvalidRequest", `no triggers.gcs mapping matches gs://${bucket}/${name}`), messageId }
    const size = Number(data["size"])
    return {
      carried: payload(
        payloadFor(mapping, {
          bucket,
          name,
          size: Number.isFinite(size) ? size : null,
          content_type: typeof data["contentType"] === "string" ? data["contentType"] : null,
          generation: data["generation"] === undefined ? null : String(data["generation"]),
          time_created: typeof data["timeCreated"] === "string" ? data["timeCreated"] : null
        })
      ),
      messageId
    }
  }

  /** Pub/Sub and Cloud Storage events; an unusable event throws so the platform retries or dead-letters it. */
  const cloudEvent = async (event: CloudEventLike): Promise<unknown> => {
    const id = event.id
    const c = await containerForDelivery(container, id)
    const taken =
      event.type === PUBSUB
        ? pubsub(c, event)
        : event.type === STORAGE_FINALIZED
          ? storage(c, event)
          : { carried: unusable("BadRequest", `CloudEvents of type '${event.type}' are not a trigger this handler knows (${PUBSUB}, ${STORAGE_FINALIZED})`), messageId: undefined }
    return single(await deliver(c, taken.carried, taken.messageId, id), id)
  }

  return { http, cloudEvent }
}
