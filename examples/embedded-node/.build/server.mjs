// examples/embedded-node/server.ts
import { createServer } from "node:http";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { createAgentMap, createNodeHandler } from "agentmap";
var here = path.dirname(fileURLToPath(import.meta.url));
var options = { configFile: path.join(here, "agentmap_config.yaml"), cwd: here };
var agentmap = createAgentMap(options);
var { handler, dispose } = await createNodeHandler({ ...options, prefix: "/agentmap" });
var server = createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://host");
  if (url.pathname.startsWith("/agentmap/") && url.pathname !== "/agentmap/health" && request.headers["x-host-token"] !== "let-me-in") {
    response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "host says no" }));
    return;
  }
  if (url.pathname.startsWith("/agentmap/")) return handler(request, response);
  if (url.pathname === "/") return void response.end("host application");
  if (url.pathname === "/host/greet")
    return void agentmap.run("hello_world", { state: { name: url.searchParams.get("name") ?? "world" } }).then((result) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ greeting: result.outputs["greeting"] }))).catch((e) => response.writeHead(500).end(e.message));
  response.writeHead(404).end("not found");
});
server.listen(Number(process.env["PORT"] ?? 3e3), "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : "?"}`);
});
process.once("SIGTERM", () => {
  server.close();
  void Promise.all([agentmap.close(), dispose()]).then(() => process.exit(0));
});
