// Checkpointing cost per node: SQLite and PostgreSQL (and memory) against no checkpointer, for
// 10-, 100- and 1,000-node echo chains, in-process through the real WorkflowService; and the
// latency of resuming a suspended run. Medians of several runs, all measured in this run.
//   node --import tsx bench/checkpoint.ts [runs]        (npm run bench:checkpoint)
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Context, Effect, Layer, ManagedRuntime } from "effect"
import { WorkflowService } from "../src/application/WorkflowService.js"
import * as AppLayer from "../src/adapters/AppLayer.js"
import { loadConfig } from "../src/adapters/config/ConfigLoader.js"
import * as MemoryPersistence from "../src/adapters/persistence/MemoryPersistence.js"
import { LangGraphSaver } from "../src/adapters/persistence/LangGraphSaver.js"
import * as TtyTerminal from "../src/adapters/terminal/TtyTerminal.js"
import pg from "pg"

const runs = Number(process.argv[2] ?? 5)
const POSTGRES_URL = process.env["AGENTMAP_TEST_POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:5432/test"
const schema = `agentmap_bench_${process.pid}`
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-bench-"))

const chain = (n: number) => {
  const rows = ["GraphName,Node,AgentType,Input_Fields,Output_Field,Edge"]
  for (let i = 0; i < n; i++) rows.push(`Chain,N${i},echo,v${i},v${i + 1},${i < n - 1 ? `N${i + 1}` : ""}`)
  fs.writeFileSync(path.join(dir, `chain-${n}.csv`), `${rows.join("\n")}\n`)
}
for (const n of [10, 100, 1000]) chain(n)
fs.writeFileSync(path.join(dir, "suspend.csv"), "GraphName,Node,AgentType,Output_Field,Edge\nS,Wait,suspend,answer,After\nS,After,echo,done,\n")

const backends = {
  none: "persistence:\n  backend: memory\n",
  memory: "persistence:\n  backend: memory\n",
  sqlite: `persistence:\n  backend: sqlite\n  sqlite_path: ${path.join(dir, "bench.db")}\n`,
  postgres: `persistence:\n  backend: postgres\n  postgres_url: ${POSTGRES_URL}\n  postgres_schema: ${schema}\n`
} as const
type Backend = keyof typeof backends

/** No checkpointer at all: the baseline LangGraph runs without persistence. */
const noCheckpoints = Layer.scopedContext(
  Effect.map(Layer.build(MemoryPersistence.layer()), (ctx) => Context.add(ctx, LangGraphSaver, { get: Effect.succeed(undefined) }))
)

const runtimeFor = async (backend: Backend, durability = "sync") => {
  fs.writeFileSync(path.join(dir, "agentmap_config.yaml"), `${backends[backend]}execution:\n  durability: ${durability}\n  max_steps: 5000\n`)
  const { config } = await Effect.runPromise(loadConfig({ explicit: undefined, env: {}, cwd: dir, home: dir }))
  const options = { config, cwd: dir, terminal: TtyTerminal.layerNone }
  return ManagedRuntime.make(backend === "none" ? AppLayer.layerWithStores(options, noCheckpoints) : AppLayer.layer(options))
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const time = async (work: () => Promise<unknown>) => {
  const t0 = performance.now()
  await work()
  return performance.now() - t0
}

const measure = async (backend: Backend, n: number, durability = "sync") => {
  const rt = await runtimeFor(backend, durability)
  const once = () => rt.runPromise(Effect.flatMap(WorkflowService, (s) => s.execute({ workflow: `chain-${n}.csv`, state: { v0: "x" } })))
  await once() // warm-up: JIT, connection, tables
  const samples: Array<number> = []
  for (let i = 0; i < runs; i++) samples.push(await time(once))
  await rt.dispose()
  return median(samples)
}

const resumeLatency = async (backend: Backend) => {
  const rt = await runtimeFor(backend)
  const samples: Array<number> = []
  for (let i = 0; i <= runs; i++) {
    const { result } = await rt.runPromise(Effect.flatMap(WorkflowService, (s) => s.execute({ workflow: "suspend.csv" })))
    const ms = await time(() => rt.runPromise(Effect.flatMap(WorkflowService, (s) => s.resume({ thread_id: result.thread_id, data: 1 }))))
    if (i > 0) samples.push(ms)
  }
  await rt.dispose()
  return median(samples)
}

console.log(`node ${process.version}, ${runs} runs each (after one warm-up), medians, durability sync unless noted\n`)
const rows: Array<string> = []
const results: Record<string, Record<number, number>> = {}
for (const n of [10, 100, 1000]) {
  for (const backend of ["none", "memory", "sqlite", "postgres"] as const) {
    const ms = await measure(backend, n)
    ;(results[backend] ??= {})[n] = ms
  }
  const base = results["none"]![n]!
  for (const backend of ["none", "memory", "sqlite", "postgres"] as const) {
    const ms = results[backend]![n]!
    rows.push(
      `${String(n).padStart(5)} nodes  ${backend.padEnd(9)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / n).toFixed(3)} ms/node  overhead ${((ms - base) / n).toFixed(3)} ms/node  ×${(ms / base).toFixed(2)}`
    )
  }
}
console.log(rows.join("\n"))
const sqliteExit = await measure("sqlite", 1000, "exit")
console.log(`\n 1000 nodes  sqlite, durability exit ${sqliteExit.toFixed(1)} ms  ×${(sqliteExit / results["none"]![1000]!).toFixed(2)}`)
console.log("\ntargets: overhead per node at 100 nodes ≤ 2 ms (SQLite), ≤ 5 ms (PostgreSQL); 1,000 nodes with sync checkpoints ≤ 3× without")
console.log(`  SQLite   100: ${((results["sqlite"]![100]! - results["none"]![100]!) / 100).toFixed(3)} ms/node   1000: ×${(results["sqlite"]![1000]! / results["none"]![1000]!).toFixed(2)}`)
console.log(`  Postgres 100: ${((results["postgres"]![100]! - results["none"]![100]!) / 100).toFixed(3)} ms/node   1000: ×${(results["postgres"]![1000]! / results["none"]![1000]!).toFixed(2)}`)
console.log("\nsuspend → resume latency (resume call until the run completes)")
for (const backend of ["memory", "sqlite", "postgres"] as const) console.log(`  ${backend.padEnd(9)} ${(await resumeLatency(backend)).toFixed(1)} ms`)

const client = new pg.Client({ connectionString: POSTGRES_URL })
await client.connect()
await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
await client.end()
fs.rmSync(dir, { recursive: true, force: true })
