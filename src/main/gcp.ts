/**
 * `agentmap/gcp`: Google Cloud Functions. Importing this module registers `agentmap` (HTTP) and
 * `agentmapEvents` (CloudEvents: Pub/Sub messages, Cloud Storage object finalized) with the
 * functions framework; deploy with `--entry-point agentmap` or `--entry-point agentmapEvents`.
 */
import * as functions from "@google-cloud/functions-framework"
import { makeHandlers } from "../adapters/serverless/gcp/Handlers.js"

import type { CloudEventLike } from "../adapters/serverless/gcp/Handlers.js"
export type { CloudEventLike, GcpRequest, GcpResponse } from "../adapters/serverless/gcp/Handlers.js"

const handlers = makeHandlers()
export const http = handlers.http
export const cloudEvent = handlers.cloudEvent

functions.http("agentmap", (req, res) => http(req, res))
functions.cloudEvent("agentmapEvents", (event: unknown) => cloudEvent(event as CloudEventLike))
