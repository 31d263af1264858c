/**
 * `agentmap/aws`: the AWS Lambda handler. API Gateway (REST and HTTP APIs), Function URLs, SQS,
 * S3, EventBridge, DynamoDB streams and direct invocations, told apart by the event's shape.
 * Configuration: AGENTMAP_CONFIG_FILE and AGENTMAP_* (contract §8).
 */
import { makeHandler } from "../adapters/serverless/aws/Handler.js"

export type { LambdaContext } from "../adapters/serverless/aws/Handler.js"
export { makeHandler }

export const handler = makeHandler()
