// Baseline for bench/http.ts: a plain node:http server that runs a hand-written 3-node LangGraph
// echo chain per request (no framework, no auth, no persistence).
import { createServer } from "node:http"
import { echoChain } from "./echo-chain-graph.mjs"

const graph = echoChain()

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
