// Baseline for bench/http.ts: a plain node:http server that runs a hand-written 3-node LangGraph
// echo chain per request (no framework, no auth, no persistence).
import { createServer } from "node:http"
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

const server = createServer((req, res) => {
  let body = ""
  req.on("data", (d) => (body += d))
  req.on("end", async () => {
    const state = body === "" ? {} : JSON.parse(body).state ?? {}
    const out = await graph.invoke(state)
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "completed", outputs: out }))
  })
})
server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port}`))
