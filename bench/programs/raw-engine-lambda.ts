// Baseline for bench/serverless.mjs: a minimal Lambda handler that runs AgentMap's own compiled
// LangGraph graph for the workflow directly (same CSV, same graph, no checkpointer), skipping the
// HTTP routes, auth, the thread registry and the trigger decoding. Bundled and loaded the same
// way as the AWS bundle (esbuild, V8 code cache) before it is measured.
import { randomUUID } from "node:crypto"
import { Effect, ManagedRuntime, type Runtime } from "effect"
import { PlanBuilder } from "../../src/application/PlanBuilder.js"
import * as AppLayer from "../../src/adapters/AppLayer.js"
import { loadConfig } from "../../src/adapters/config/ConfigLoader.js"
import { compile, startInput } from "../../src/adapters/langgraph/Compile.js"
import * as TtyTerminal from "../../src/adapters/terminal/TtyTerminal.js"

const setup = async () => {
  const { config } = await Effect.runPromise(loadConfig({ explicit: undefined, env: {}, cwd: process.cwd() }))
  const memory = { ...config, persistence: { ...config.persistence, backend: "memory" as const } }
  const app = ManagedRuntime.make(AppLayer.layer({ config: memory, cwd: process.cwd(), terminal: TtyTerminal.layerNone }))
  const { plan } = await app.runPromise(Effect.flatMap(PlanBuilder, (b) => b.plan("chain", undefined)))
  const runtime: Runtime.Runtime<never> = await app.runPromise(Effect.runtime<never>())
  const host = { runSubgraph: () => Effect.die("no subgraphs"), resumeSubgraph: () => Effect.die("no subgraphs"), tokens: undefined }
  return { plan, graph: compile(plan, runtime, () => ({ host, observer: () => Effect.void })).compile() }
}
let ready: ReturnType<typeof setup> | undefined

export const handler = async (event: { body?: string; isBase64Encoded?: boolean }) => {
  const { plan, graph } = await (ready ??= setup())
  const body = event.isBase64Encoded === true ? Buffer.from(event.body ?? "", "base64").toString("utf8") : event.body
  const state = body ? ((JSON.parse(body) as { state?: Record<string, unknown> }).state ?? {}) : {}
  const outputs = await graph.invoke(startInput(plan, state as never), { configurable: { thread_id: randomUUID() } })
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "completed", outputs: outputs }), isBase64Encoded: false }
}
