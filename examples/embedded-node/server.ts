/**
 * A plain node:http host (no Effect) with routes of its own. It forwards /agentmap/* to
 * AgentMap's Node handler and calls AgentMap directly through the Promise facade.
 *   PORT=3000 node --import tsx examples/embedded-node/server.ts
 */
import { createServer } from "node:http"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { createAgentMap, createNodeHandler } from "agentmap"

const here = path.dirname(fileURLToPath(import.meta.url))
const options = { configFile: path.join(here, "agentmap_config.yaml"), cwd: here }

const agentmap = createAgentMap(options)
const { handler, dispose } = await createNodeHandler({ ...options, prefix: "/agentmap" })

const server = createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://host")
  // the host's own authentication guards AgentMap's routes too
  if (url.pathname.startsWith("/agentmap/") && url.pathname !== "/agentmap/health" && request.headers["x-host-token"] !== "let-me-in") {
    response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "host says no" }))
    return
  }
  if (url.pathname.startsWith("/agentmap/")) return handler(request, response)
  if (url.pathname === "/") return void response.end("host application")
  if (url.pathname === "/host/greet")
    return void agentmap
      .run("hello_world", { state: { name: url.searchParams.get("name") ?? "world" } })
      .then((result) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ greeting: result.outputs["greeting"] })))
      .catch((e: Error) => response.writeHead(500).end(e.message))
  response.writeHead(404).end("not found")
})

server.listen(Number(process.env["PORT"] ?? 3000), "127.0.0.1", () => {
  const address = server.address()
  console.log(`listening on http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : "?"}`)
})

process.once("SIGTERM", () => {
  server.close()
  void Promise.all([agentmap.close(), dispose()]).then(() => process.exit(0))
})
