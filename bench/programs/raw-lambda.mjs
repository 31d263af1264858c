// Baseline for bench/serverless.mjs: the smallest Lambda handler that runs a 3-node LangGraph
// echo chain for an API Gateway event (no config, no auth, no persistence). Bundled and minified
// the same way as AgentMap's AWS bundle before it is measured.
import { echoChain } from "./echo-chain-graph.mjs"

const graph = echoChain()

export const handler = async (event) => {
  const body = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body
  const state = body ? JSON.parse(body).state ?? {} : {}
  const outputs = await graph.invoke(state)
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "completed", outputs }), isBase64Encoded: false }
}
