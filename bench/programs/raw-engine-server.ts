// Baseline for bench/http.ts: a plain node:http server that invokes AgentMap's own compiled
// LangGraph graph for chain-3.csv directly (same graph, same SQLite checkpointer: AgentMap's
// group-committing SqliteSaver on a connection opened as `serve` opens it), skipping the
// HTTP framework, auth, the thread registry and per-request planning.
import { createServer } from "node:http"
import * as path from "node:path"
import { Effect, ManagedRuntime, type Runtime } from "effect"
import { PlanBuilder } from "../../src/application/PlanBuilder.js"
import * as AppLayer from "../../src/adapters/AppLayer.js"
import * as TimeOrderedThreadIds from "../../src/adapters/ids/TimeOrderedThreadIds.js"
import { loadConfig } from "../../src/adapters/config/ConfigLoader.js"
import { compile, startInput } from "../../src/adapters/langgraph/Compile.js"
import { LIGHT_CONTEXT } from "../../src/adapters/langgraph/RunContext.js"
import { GroupCommitSqliteSaver } from "../../src/adapters/persistence/GroupCommitSqliteSaver.js"
import { openSqlite } from "../../src/adapters/persistence/SqliteConnection.js"
import * as TtyTerminal from "../../src/adapters/terminal/TtyTerminal.js"

const dir = process.argv[2]!
const { config } = await Effect.runPromise(loadConfig({ explicit: undefined, env: {}, cwd: dir, home: dir }))
const app = ManagedRuntime.make(AppLayer.layer({ config, cwd: dir, terminal: TtyTerminal.layerNone }))
const { plan } = await app.runPromise(Effect.flatMap(PlanBuilder, (b) => b.plan("chain-3", undefined)))
const runtime: Runtime.Runtime<never> = await app.runPromise(Effect.runtime<never>())
// opened as `serve` opens its store: WAL, group commit, checkpoints in the background; thread ids as serve makes them
const { db, writes, checkpointInBackground } = openSqlite(path.join(dir, "raw.db"))
checkpointInBackground()
const host = { runSubgraph: () => Effect.die("no subgraphs"), resumeSubgraph: () => Effect.die("no subgraphs"), tokens: undefined }
const graph = compile(plan, runtime, () => ({ host, observer: () => Effect.void })).compile({ checkpointer: new GroupCommitSqliteSaver(db, writes) })

const server = createServer((req, res) => {
  let body = ""
  req.on("data", (d) => (body += d))
  req.on("end", async () => {
    const state = body === "" ? {} : (JSON.parse(body) as { state?: Record<string, unknown> }).state ?? {}
    const out = await graph.invoke(startInput(plan, state as never), { configurable: { thread_id: TimeOrderedThreadIds.next(), [LIGHT_CONTEXT]: true }, durability: "sync" })
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "completed", outputs: out }))
  })
})
server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  console.log(`listening on http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`)
})
