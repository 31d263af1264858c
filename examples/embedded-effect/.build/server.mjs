// examples/embedded-effect/server.ts
import { createServer } from "node:http";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { HttpLayerRouter, HttpServerResponse } from "@effect/platform";
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer";
import * as NodeRuntime from "@effect/platform-node/NodeRuntime";
import { Effect, Layer } from "effect";
import * as AgentMap from "agentmap";
var here = path.dirname(fileURLToPath(import.meta.url));
var Services = AgentMap.layer({ configFile: path.join(here, "agentmap_config.yaml"), cwd: here });
var HostRoutes = HttpLayerRouter.use(
  (router) => Effect.gen(function* () {
    const workflows = yield* AgentMap.WorkflowService;
    yield* router.add("GET", "/", HttpServerResponse.text("host application"));
    yield* router.add("GET", "/host/status", HttpServerResponse.unsafeJson({ host: "ok" }));
    yield* router.add(
      "GET",
      "/host/greet",
      (request) => Effect.gen(function* () {
        const name = new URL(request.url, "http://host").searchParams.get("name") ?? "world";
        const { result } = yield* workflows.execute({ workflow: "hello_world", state: { name } });
        return HttpServerResponse.unsafeJson({ greeting: result.outputs["greeting"] });
      }).pipe(Effect.catchAll((e) => Effect.succeed(HttpServerResponse.unsafeJson({ error: e._tag }, { status: 500 }))))
    );
  })
);
var AgentMapRoutes = AgentMap.routes({ prefix: "/agentmap" });
HttpLayerRouter.serve(Layer.mergeAll(HostRoutes, AgentMapRoutes), { disableLogger: true }).pipe(
  Layer.provide(Services),
  Layer.provide(NodeHttpServer.layer(createServer, { port: Number(process.env["PORT"] ?? 3e3), host: "127.0.0.1" })),
  Layer.launch,
  NodeRuntime.runMain
);
