import { randomUUID } from "node:crypto"
import { Either, ParseResult, Schema } from "effect"
import { isJsonObject } from "../../../domain/Json.js"
import { objectMappingFor, payloadFor, scheduleMappingFor, tableMappingFor } from "../../../domain/TriggerMapping.js"
import { type Carried, containerForDelivery, DeliveryFailed, deliver, jsonBody, mapLimit, type Outcome, payload, resultEntry, single, unusable } from "../Delivery.js"
import { answer, containerForHttp, isAnswer, problemResponse } from "../HttpBridge.js"
import type { PlainResponse } from "../PlainHttp.js"
import { type Container, containerRuntime, type RuntimeOptions } from "../Runtime.js"
import { fromV1, fromV2, toResult } from "./ApiGateway.js"
import { DynamoRecord, detect, EventBridgeEvent, HttpV1Event, HttpV2Event, S3Record, SqsRecord } from "./Events.js"
import { unmarshall } from "./DynamoImage.js"

/** What Lambda passes as the second argument (only the request id is read). */
export interface LambdaContext {
  readonly awsRequestId?: string
}

const describe = (e: ParseResult.ParseError) => ParseResult.TreeFormatter.formatErrorSync(e).replace(/\s+/g, " ")

/** Queue records run this many at a time (a FIFO queue's one after another, stopping at the first failure). */
const QUEUE_CONCURRENCY = 4

const isPayload = (v: unknown) => isJsonObject(v) && (typeof v["workflow"] === "string" || v["action"] === "resume")

/** Builds the AWS Lambda handler over a container runtime (one per module instance, reused while the container lives). */
export const makeHandler = (options: RuntimeOptions = {}) => {
  const container = containerRuntime({ platform: "aws", ...options })

  /** API Gateway (REST and HTTP APIs) and Function URLs: the HTTP server's routes, statuses and bodies. */
  const http = async (event: unknown, version: "1.0" | "2.0", requestId: string) => {
    const decoded =
      version === "2.0"
        ? Either.map(Schema.decodeUnknownEither(HttpV2Event)(event), (e) => ({ id: e.requestContext.requestId, request: () => fromV2(e) }))
        : Either.map(Schema.decodeUnknownEither(HttpV1Event)(event), (e) => ({ id: e.requestContext?.requestId, request: () => fromV1(e) }))
    const platformId = (Either.isRight(decoded) ? decoded.right.id : undefined) ?? requestId
    const send = (response: PlainResponse) => toResult(version, response)
    if (Either.isLeft(decoded)) return send(problemResponse(400, { error: "BadRequest", message: `malformed API Gateway event: ${describe(decoded.left)}` }, platformId))
    const c = await containerForHttp(container, platformId)
    if (isAnswer(c)) return send(c)
    const request = decoded.right.request()
    return send("method" in request ? await answer(c, request, platformId) : problemResponse(400, request, platformId))
  }

  const sqs = async (c: Container, records: ReadonlyArray<unknown>, requestId: string) => {
    const fifo = records.some((r) => isJsonObject(r) && typeof r["eventSourceARN"] === "string" && r["eventSourceARN"].endsWith(".fifo"))
    const one = async (raw: unknown): Promise<{ id: string; outcome: Outcome }> => {
      const record = Schema.decodeUnknownEither(SqsRecord)(raw)
      if (Either.isLeft(record)) {
        const id = isJsonObject(raw) && typeof raw["messageId"] === "string" ? raw["messageId"] : "unknown"
        return { id, outcome: { _tag: "Failed", problem: { error: "BadRequest", message: `malformed SQS record: ${describe(record.left)}` } } }
      }
      const { messageId, body } = record.right
      return { id: messageId, outcome: await deliver(c, jsonBody(body, c.config.http.maxBodyBytes), `sqs:${messageId}`, requestId) }
    }
    let outcomes: Array<{ id: string; outcome: Outcome }>
    if (fifo) {
      // order matters: after a failure, the rest of the batch goes back to the queue untouched
      outcomes = []
      for (const raw of records) {
        if (outcomes.some((o) => o.outcome._tag === "Failed")) {
          const id = isJsonObject(raw) && typeof raw["messageId"] === "string" ? raw["messageId"] : "unknown"
          outcomes.push({ id, outcome: { _tag: "Failed", problem: { error: "NotProcessed", message: "an earlier message of this FIFO batch failed" } } })
        } else outcomes.push(await one(raw))
      }
    } else outcomes = await mapLimit(records, QUEUE_CONCURRENCY, one)
    return batch(outcomes, requestId)
  }

  const dynamodb = async (c: Container, records: ReadonlyArray<unknown>, requestId: string) => {
    // a stream shard is ordered: stop at the first failure; Lambda retries from its sequence number
    const outcomes: Array<{ id: string; outcome: Outcome }> = []
    for (const raw of records) {
      const record = Schema.decodeUnknownEither(DynamoRecord)(raw)
      if (Either.isLeft(record)) {
        const seq = isJsonObject(raw) && isJsonObject(raw["dynamodb"]) ? String(raw["dynamodb"]["SequenceNumber"] ?? "unknown") : "unknown"
        outcomes.push({ id: seq, outcome: { _tag: "Failed", problem: { error: "BadRequest", message: `malformed DynamoDB stream record: ${describe(record.left)}` } } })
        break
      }
      const r = record.right
      const carried = dynamoPayload(c, r)
      if (carried === "skip") continue
      const outcome = await deliver(c, carried, `dynamodb:${r.eventID}`, requestId)
      outcomes.push({ id: r.dynamodb.SequenceNumber, outcome })
      if (outcome._tag === "Failed") break
    }
    return batch(outcomes, requestId)
  }

  const dynamoPayload = (c: Container, r: DynamoRecord): Carried | "skip" => {
    const table = /:table\/([^/]+)/.exec(r.eventSourceARN)?.[1] ?? ""
    try {
      const keys = r.dynamodb.Keys !== undefined ? unmarshall(r.dynamodb.Keys) : {}
      const newImage = r.dynamodb.NewImage !== undefined ? unmarshall(r.dynamodb.NewImage) : null
      const oldImage = r.dynamodb.OldImage !== undefined ? unmarshall(r.dynamodb.OldImage) : null
      if (newImage !== null && isPayload(newImage)) return payload(newImage)
      const forTable = c.triggers.dynamodb.filter((m) => m.table === table)
      const mapping = tableMappingFor(forTable, table, r.eventName)
      if (mapping === undefined)
        return forTable.length > 0 ? "skip" : unusable("InvalidRequest", `table '${table}': the item carries no { workflow } payload and no triggers.dynamodb mapping names this table`)
      return payload(payloadFor(mapping, { event_name: r.eventName, table, keys, new_image: newImage, old_image: oldImage }))
    } catch (e) {
      return unusable("BadRequest", `record ${r.eventID}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  const s3 = async (c: Container, records: ReadonlyArray<unknown>, requestId: string) => {
    const outcomes: Array<{ id: string; outcome: Outcome }> = []
    for (const raw of records) {
      const record = Schema.decodeUnknownEither(S3Record)(raw)
      if (Either.isLeft(record)) {
        outcomes.push({ id: "unknown", outcome: { _tag: "Failed", problem: { error: "BadRequest", message: `malformed S3 record: ${describe(record.left)}` } } })
        continue
      }
      const r: S3Record = record.right
      if (!r.eventName.startsWith("ObjectCreated")) {
        await c.log("info", `ignored ${r.eventName} for s3://${r.s3.bucket.name}/${r.s3.object.key}: only ObjectCreated events run workflows`, requestId)
        continue
      }
      let key: string
      try {
        key = decodeURIComponent(r.s3.object.key.replace(/\+/g, " "))
      } catch {
        outcomes.push({ id: r.s3.object.key, outcome: { _tag: "Failed", problem: { error: "BadRequest", message: `the object key '${r.s3.object.key}' is not valid URL encoding` } } })
        continue
      }
      const bucket = r.s3.bucket.name
      const mapping = objectMappingFor(c.triggers.s3, bucket, key)
      const carried =
        mapping === undefined
          ? unusable("InvalidRequest", `no triggers.s3 mapping matches s3://${bucket}/${key}`)
          : payload(
              payloadFor(mapping, {
                bucket,
                key,
                size: r.s3.object.size ?? null,
                etag: r.s3.object.eTag ?? null,
                event_name: r.eventName,
                event_time: r.eventTime ?? null
              })
            )
      const identity = r.s3.object.sequencer ?? r.s3.object.eTag ?? r.eventTime ?? ""
      outcomes.push({ id: `s3://${bucket}/${key}`, outcome: await deliver(c, carried, `s3:${bucket}/${key}:${identity}`, requestId) })
    }
    return everyOrThrow(outcomes, requestId)
  }

  const eventBridge = async (c: Container, event: unknown, requestId: string) => {
    const decoded = Schema.decodeUnknownEither(EventBridgeEvent)(event)
    if (Either.isLeft(decoded)) throw new DeliveryFailed({ error: "BadRequest", message: `malformed EventBridge event: ${describe(decoded.left)}` }, requestId)
    const e = decoded.right
    let carried: Carried
    if (isPayload(e.detail)) carried = payload(e.detail)
    else {
      const rule = (e.resources ?? []).map((arn) => /:rule\/(?:[^/]+\/)?([^/]+)$/.exec(arn)?.[1]).find((r) => r !== undefined) ?? ""
      const mapping = scheduleMappingFor(c.triggers.schedules, rule)
      carried =
        mapping === undefined
          ? unusable("InvalidRequest", `the event's detail carries no { workflow } payload and no triggers.schedules mapping names rule '${rule}'`)
          : payload(payloadFor(mapping, { rule, time: e.time ?? null, source: e.source, detail_type: e["detail-type"], detail: (e.detail ?? null) as never, event_id: e.id }))
    }
    return single(await deliver(c, carried, `eventbridge:${e.id}`, requestId), requestId)
  }

  return async (event: unknown, context?: LambdaContext): Promise<unknown> => {
    const requestId = context?.awsRequestId ?? randomUUID()
    const kind = detect(event)
    if (kind._tag === "HttpV2") return http(event, "2.0", requestId)
    if (kind._tag === "HttpV1") return http(event, "1.0", requestId)
    const c = await containerForDelivery(container, requestId)
    switch (kind._tag) {
      case "Records":
        if (kind.source === "aws:sqs") return sqs(c, kind.records, requestId)
        if (kind.source === "aws:dynamodb") return dynamodb(c, kind.records, requestId)
        if (kind.source === "aws:s3") return s3(c, kind.records, requestId)
        throw new DeliveryFailed({ error: "BadRequest", message: `records from '${kind.source}' are not a trigger this handler knows (aws:sqs, aws:s3, aws:dynamodb)` }, requestId)
      case "EventBridge":
        return eventBridge(c, event, requestId)
      case "Direct":
        return single(await deliver(c, payload(event), `invoke:${requestId}`, requestId), requestId)
      default:
        throw new DeliveryFailed(
          { error: "BadRequest", message: "unrecognised event: not API Gateway, a Function URL, SQS, S3, DynamoDB streams, EventBridge or a { workflow } / { action: \"resume\" } payload" },
          requestId
        )
    }
  }
}

/** `{ batchItemFailures, results }`: failed items go back to the queue or stream, the rest are done. */
const batch = (outcomes: ReadonlyArray<{ id: string; outcome: Outcome }>, correlationId: string) => ({
  batchItemFailures: outcomes.filter((o) => o.outcome._tag === "Failed").map((o) => ({ itemIdentifier: o.id })),
  results: outcomes.map((o) => resultEntry(o.id, o.outcome)),
  correlation_id: correlationId
})

/** S3 has no partial batch answer: after running every record, any failure fails the invocation (retried; finished records are not run again). */
const everyOrThrow = (outcomes: ReadonlyArray<{ id: string; outcome: Outcome }>, correlationId: string) => {
  const failed = outcomes.find((o) => o.outcome._tag === "Failed")
  if (failed !== undefined && failed.outcome._tag === "Failed") throw new DeliveryFailed({ ...failed.outcome.problem, message: `${failed.id}: ${failed.outcome.problem.message}` }, correlationId)
  if (outcomes.length === 1) return single(outcomes[0]!.outcome, correlationId)
  return { results: outcomes.map((o) => resultEntry(o.id, o.outcome)), correlation_id: correlationId }
}
