import { Schema } from "effect"

/**
 * The AWS event shapes the handler accepts, as much of each as it reads. `detect` tells them
 * apart by their discriminating fields; each is then decoded in full, so a malformed event of a
 * known kind is reported as that kind's problem.
 */
const Headers = Schema.NullishOr(Schema.Record({ key: Schema.String, value: Schema.NullishOr(Schema.String) }))

/** API Gateway HTTP API (payload 2.0) and Lambda Function URLs. */
export const HttpV2Event = Schema.Struct({
  version: Schema.Literal("2.0"),
  rawPath: Schema.String,
  rawQueryString: Schema.optional(Schema.String),
  headers: Headers,
  cookies: Schema.optional(Schema.Array(Schema.String)),
  body: Schema.NullishOr(Schema.String),
  isBase64Encoded: Schema.optional(Schema.Boolean),
  requestContext: Schema.Struct({
    requestId: Schema.optional(Schema.String),
    stage: Schema.optional(Schema.String),
    domainName: Schema.optional(Schema.String),
    http: Schema.Struct({ method: Schema.String })
  })
})
export type HttpV2Event = typeof HttpV2Event.Type

/** API Gateway REST API (payload 1.0). */
export const HttpV1Event = Schema.Struct({
  httpMethod: Schema.String,
  path: Schema.String,
  headers: Headers,
  multiValueQueryStringParameters: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) }))),
  queryStringParameters: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.NullishOr(Schema.String) }))),
  body: Schema.NullishOr(Schema.String),
  isBase64Encoded: Schema.optional(Schema.Boolean),
  requestContext: Schema.optional(Schema.Struct({ requestId: Schema.optional(Schema.String), domainName: Schema.optional(Schema.String) }))
})
export type HttpV1Event = typeof HttpV1Event.Type

export const SqsRecord = Schema.Struct({
  messageId: Schema.String,
  body: Schema.String,
  eventSource: Schema.Literal("aws:sqs"),
  eventSourceARN: Schema.optional(Schema.String)
})

export const S3Record = Schema.Struct({
  eventSource: Schema.Literal("aws:s3"),
  eventName: Schema.String,
  eventTime: Schema.optional(Schema.String),
  s3: Schema.Struct({
    bucket: Schema.Struct({ name: Schema.String }),
    object: Schema.Struct({
      key: Schema.String,
      size: Schema.optional(Schema.Number),
      eTag: Schema.optional(Schema.String),
      sequencer: Schema.optional(Schema.String)
    })
  })
})
export type S3Record = typeof S3Record.Type

export const DynamoRecord = Schema.Struct({
  eventID: Schema.String,
  eventName: Schema.String,
  eventSource: Schema.Literal("aws:dynamodb"),
  eventSourceARN: Schema.String,
  dynamodb: Schema.Struct({
    SequenceNumber: Schema.String,
    Keys: Schema.optional(Schema.Unknown),
    NewImage: Schema.optional(Schema.Unknown),
    OldImage: Schema.optional(Schema.Unknown)
  })
})
export type DynamoRecord = typeof DynamoRecord.Type

export const EventBridgeEvent = Schema.Struct({
  id: Schema.String,
  "detail-type": Schema.String,
  source: Schema.String,
  time: Schema.optional(Schema.String),
  resources: Schema.optional(Schema.Array(Schema.String)),
  detail: Schema.optional(Schema.Unknown)
})
export type EventBridgeEvent = typeof EventBridgeEvent.Type

export type Detected =
  | { readonly _tag: "HttpV2" }
  | { readonly _tag: "HttpV1" }
  | { readonly _tag: "Records"; readonly source: string; readonly records: ReadonlyArray<unknown> }
  | { readonly _tag: "EventBridge" }
  | { readonly _tag: "Direct" }
  | { readonly _tag: "Unknown" }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Which kind of event this is, by the fields each kind always has. */
export const detect = (event: unknown): Detected => {
  if (!isObject(event)) return { _tag: "Unknown" }
  if (event["version"] === "2.0" && isObject(event["requestContext"]) && isObject(event["requestContext"]["http"])) return { _tag: "HttpV2" }
  if (typeof event["httpMethod"] === "string") return { _tag: "HttpV1" }
  if (Array.isArray(event["Records"])) {
    const first: unknown = event["Records"][0]
    const source = isObject(first) ? (first["eventSource"] ?? first["EventSource"]) : undefined
    return { _tag: "Records", source: typeof source === "string" ? source : "", records: event["Records"] as ReadonlyArray<unknown> }
  }
  if (typeof event["detail-type"] === "string" && typeof event["source"] === "string") return { _tag: "EventBridge" }
  if ("workflow" in event || event["action"] === "resume") return { _tag: "Direct" }
  return { _tag: "Unknown" }
}
