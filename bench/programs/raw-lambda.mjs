// Baseline for bench/serverless.mjs: the smallest Lambda handler that runs a 3-node LangGraph
// echo chain for an API Gateway event (no config, no auth, no persistence). Bundled and minified
// the same way as AgentMap's AWS bundle before it is measured.
import { Annotation, END, START, StateGraph } from "@langchain/langgraph"

const State = Annotation.Root({ v0: Annotation(), v1: Annotation(), v2: Annotation(), v3: Annotation() })
const graph = new StateGraph(State)
  .addNode("N0", (s) => ({ v1: s.v0 }))
  .addNode("N1", (s) => ({ v2: s.v1 }))
  .addNode("N2", (s) => ({ v3: s.v2 }))
  .addEdge(START, "N0")
  .addEdge("N0", "N1")
  .addEdge("N1", "N2")
  .addEdge("N2", END)
  .compile()

export const handler = async (event) => {
  const body = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body
  const state = body ? JSON.parse(body).state ?? {} : {}
  const outputs = await graph.invoke(state)
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "completed", outputs }), isBase64Encoded: false }
}
