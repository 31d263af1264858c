import { Effect } from "effect"

export type Platform = "aws" | "azure" | "gcp"

/** `faas.trigger` of the FaaS semantic conventions, from the delivery's message id (`sqs:…`, `s3:…`, `eventbridge:…`). */
export const triggerOf = (messageId: string | undefined): "pubsub" | "datasource" | "timer" | "http" | "other" => {
  const source = messageId?.split(":")[0] ?? ""
  if (source === "sqs" || source === "pubsub" || source === "azure-queue") return "pubsub"
  if (source === "s3" || source === "gcs" || source === "dynamodb") return "datasource"
  if (source === "eventbridge") return "timer"
  return "other"
}

/** `cloud.provider` values of the semantic conventions. */
const PROVIDER: Readonly<Record<Platform, string>> = { aws: "aws", azure: "azure", gcp: "gcp" }

/** One cloud invocation (an event, a queue message) as a server span: faas.trigger, faas.invocation_id (the platform's request id), cloud.provider. */
export const withInvocationSpan =
  (platform: Platform | undefined, invocationId: string, messageId: string | undefined, trigger = triggerOf(messageId)) =>
  <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.withSpan(program, `agentmap.invocation ${trigger}`, {
      kind: "server",
      attributes: {
        "faas.trigger": trigger,
        "faas.invocation_id": invocationId,
        ...(platform !== undefined ? { "cloud.provider": PROVIDER[platform] } : {}),
        ...(messageId !== undefined ? { "messaging.message.id": messageId } : {}),
        ...(process.env["AWS_LAMBDA_FUNCTION_NAME"] !== undefined ? { "faas.name": process.env["AWS_LAMBDA_FUNCTION_NAME"] } : {}),
        ...(process.env["K_SERVICE"] !== undefined ? { "faas.name": process.env["K_SERVICE"] } : {}),
        ...(process.env["WEBSITE_SITE_NAME"] !== undefined ? { "faas.name": process.env["WEBSITE_SITE_NAME"] } : {})
      }
    })
