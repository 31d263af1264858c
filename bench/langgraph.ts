// The LangGraph Platform API of `agentmap serve` against the `@langchain/langgraph-api` dev server
// (`langgraphjs dev`, in-memory) running the equivalent hand-written 3-node echo graph, with the same
// requests, in one interleaved run: `POST /runs/wait`, `POST /runs/stream` (stream_mode values) and
// background runs (`POST /threads` + `POST /threads/{id}/runs` + `GET …/join`); `POST /execute` as
// AgentMap's baseline. Closed-loop throughput and server CPU per request, open-loop latency at one
// offered rate for every server, background pickup on an idle server.
//   npm run build && npm run bench:langgraph
// Env: AGENTMAP_BENCH_SECONDS (per measurement, default 4), AGENTMAP_BENCH_CONNECTIONS (8),
// AGENTMAP_BENCH_ROUNDS (2), AGENTMAP_BENCH_SCENARIOS (wait,stream,background),
// AGENTMAP_BENCH_PG_URL (also measure AgentMap on PostgreSQL), AGENTMAP_BENCH_PICKUPS (30).
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { ASSISTANT as assistant, closedLoop, type Measured, openLoop, percentile, pickup, probe, type Scenario, scenarios } from "./programs/langgraph-load.js"

const seconds = Number(process.env["AGENTMAP_BENCH_SECONDS"] ?? 4)
const connections = Number(process.env["AGENTMAP_BENCH_CONNECTIONS"] ?? 8)
const rounds = Number(process.env["AGENTMAP_BENCH_ROUNDS"] ?? 2)
const pickups = Number(process.env["AGENTMAP_BENCH_PICKUPS"] ?? 30)
const pgUrl = process.env["AGENTMAP_BENCH_PG_URL"]
const only = (process.env["AGENTMAP_BENCH_SCENARIOS"] ?? "wait,stream,background").split(",").map((s) => s.trim())
const chosen = scenarios.filter((s) => only.includes(s.name))
if (chosen.length === 0) throw new Error(`AGENTMAP_BENCH_SCENARIOS=${only.join(",")}: none of wait, stream, background`)

const root = path.resolve(import.meta.dirname, "..")
const bin = path.join(root, "bin", "agentmap.cjs")
if (!fs.existsSync(path.join(root, "dist"))) throw new Error("dist/ is missing: run `npm run build` first")
const csv = "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge\nC,N0,echo,v0,v1,N1\nC,N1,echo,v1,v2,N2\nC,N2,echo,v2,v3,\n"
// the same graph by hand, registered under the same id so that both servers get byte-identical requests
const graphJs = `import { Annotation, END, START, StateGraph } from "@langchain/langgraph"
const State = Annotation.Root({ v0: Annotation(), v1: Annotation(), v2: Annotation(), v3: Annotation() })
export const graph = new StateGraph(State)
  .addNode("N0", (s) => ({ v1: s.v0 }))
  .addNode("N1", (s) => ({ v2: s.v1 }))
  .addNode("N2", (s) => ({ v3: s.v2 }))
  .addEdge(START, "N0").addEdge("N0", "N1").addEdge("N1", "N2").addEdge("N2", END)
  .compile()
`
const temps: Array<string> = []
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  temps.push(dir)
  return dir
}

interface Server {
  readonly name: string
  readonly url: string
  readonly child: ChildProcess
  readonly key: string
  readonly agentmap: boolean
}

/** Starts a process group and resolves with the URL it prints. */
const start = (name: string, command: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv, pattern: RegExp, key = "", agentmap = true): Promise<Server> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    const seen = (d: Buffer) => {
      out += d.toString().replace(/\x1b\[[0-9;]*m/g, "") // ANSI colours
      const m = pattern.exec(out)
      if (m !== null) resolve({ name, url: m[1]!.replace("localhost", "127.0.0.1"), child, key, agentmap })
    }
    child.stdout!.on("data", seen)
    child.stderr!.on("data", seen)
    child.on("exit", (code) => reject(new Error(`${name} exited ${code}: ${out}`)))
  })

const stop = (s: Server) =>
  new Promise<void>((done) => {
    if (s.child.exitCode !== null) return done()
    s.child.once("exit", () => done())
    process.kill(-s.child.pid!, "SIGTERM") // the group: langgraphjs dev runs its server two processes down
  })

const freePort = async () => {
  const net = await import("node:net")
  return new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

const reference = async (): Promise<Server> => {
  const dir = tempDir("agentmap-lg-ref-")
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"))
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "lg-bench-ref", private: true, type: "module" }))
  fs.writeFileSync(path.join(dir, "graph.mjs"), graphJs)
  fs.writeFileSync(path.join(dir, "langgraph.json"), JSON.stringify({ node_version: "20", graphs: { [assistant]: "./graph.mjs:graph" }, dependencies: ["."] }))
  const port = await freePort()
  const cli = path.join(root, "node_modules", "@langchain", "langgraph-cli", "dist", "cli", "cli.mjs")
  const env = { PATH: process.env["PATH"] ?? "", HOME: dir, LANGSMITH_TRACING: "false", LANGCHAIN_TRACING_V2: "false", LANGGRAPH_CLI_NO_ANALYTICS: "1" }
  const args = [cli, "dev", "--port", String(port), "--host", "127.0.0.1", "--no-browser", "--no-reload", "--config", path.join(dir, "langgraph.json")]
  return start("langgraph-api dev", process.execPath, args, dir, env, /Server running at ([\d.]+:\d+)/, "", false).then((s) => ({ ...s, url: `http://${s.url}` }))
}

const agentmap = async (name: string, persistence: string): Promise<Server> => {
  const dir = tempDir("agentmap-lg-bench-")
  fs.mkdirSync(path.join(dir, "workflows"))
  fs.writeFileSync(path.join(dir, "workflows", "chain-3.csv"), csv)
  fs.writeFileSync(path.join(dir, "agentmap_config.yaml"), `paths:\n  csv_repository: workflows\n${persistence}`)
  const env = { PATH: process.env["PATH"] ?? "", HOME: dir }
  const key = (JSON.parse(execFileSync(process.execPath, [bin, "auth", "generate-key", "--name", "bench", "--json"], { cwd: dir, env, encoding: "utf8" })) as { key: string }).key
  return start(name, process.execPath, [bin, "serve", "--port", "0"], dir, env, /(?:serving|listening on) (http:\/\/[\d.]+:\d+)/, key)
}

/** CPU time (ms, user + system) of a process and everything under it, from /proc. */
const cpuOfTree = (pid: number) => {
  const stats = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const f = fs.readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1]!.split(" ")
      return [{ pid: Number(d), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) }]
    } catch {
      return []
    }
  })
  const tree = new Set([pid])
  for (let grew = true; grew; ) {
    grew = false
    for (const s of stats) if (!tree.has(s.pid) && tree.has(s.ppid)) (tree.add(s.pid), (grew = true))
  }
  return stats.filter((s) => tree.has(s.pid)).reduce((n, s) => n + s.ticks, 0) * (1000 / 100) // USER_HZ 100
}

// ---- the run ----
console.log(`node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}; load generator in this process`)
console.log(`${rounds} interleaved rounds × ${seconds} s per measurement, ${connections} connections; scenarios ${chosen.map((s) => s.name).join(", ")}\n`)
const servers: Array<Server> = []
const schema = `lgbench_${process.pid}`
const cleanup = async () => {
  await Promise.all(servers.map(stop))
  if (pgUrl !== undefined) {
    const pg = new (await import("pg")).default.Client({ connectionString: pgUrl })
    await pg.connect()
    await pg.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => pg.end())
  }
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true })
}
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)))
try {
  servers.push(await reference())
  servers.push(await agentmap("agentmap (sqlite)", ""))
  if (pgUrl !== undefined)
    servers.push(await agentmap("agentmap (postgres)", `persistence:\n  backend: postgres\n  postgres_url: ${pgUrl}\n  postgres_schema: ${schema}\n`))
  const ref = servers[0]!
  // rows: every scenario on every server, plus AgentMap's `POST /execute` beside the runs/wait rows
  interface Row {
    readonly scenario: Scenario
    readonly server: Server
    readonly label: string
    missing?: string
    closed: Array<Measured & { cpuMs: number }>
    open: Array<Measured>
    pickup?: ReadonlyArray<number>
  }
  const rows: Array<Row> = []
  for (const scenario of chosen) {
    for (const server of servers) rows.push({ scenario, server, label: `${server.name} ${scenario.route}`, closed: [], open: [] })
    if (scenario.name === "wait")
      for (const server of servers.filter((s) => s.agentmap))
        rows.push({ scenario: scenarios.find((s) => s.name === "execute")!, server, label: `${server.name} POST /execute (baseline)`, closed: [], open: [] })
  }
  for (const row of rows) {
    const p = await probe(row.server.url, row.server.key, row.scenario)
    if (p !== undefined) row.missing = p
  }
  const live = rows.filter((r) => r.missing === undefined)
  // warm-up: JIT, connections, tables
  for (const row of live) await closedLoop(row.server.url, row.server.key, row.scenario, connections, 1)
  for (let round = 0; round < rounds; round++)
    for (const row of live) {
      const before = cpuOfTree(row.server.child.pid!)
      const m = await closedLoop(row.server.url, row.server.key, row.scenario, connections, seconds)
      row.closed.push({ ...m, cpuMs: (cpuOfTree(row.server.child.pid!) - before) / Math.max(1, m.ok) })
      process.stdout.write(".")
    }
  const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
  const rps = (r: Row) => median(r.closed.map((m) => m.ok / m.seconds))
  // one offered rate per scenario: 80% of the slowest server's throughput, the same for every server
  const rates = new Map<string, number>()
  for (const scenario of chosen) {
    const inScenario = live.filter((r) => r.scenario === scenario || (scenario.name === "wait" && r.scenario.name === "execute"))
    if (inScenario.length > 0) rates.set(scenario.name, Math.max(1, Math.floor(0.8 * Math.min(...inScenario.map(rps)))))
  }
  const rateOf = (r: Row) => rates.get(r.scenario.name === "execute" ? "wait" : r.scenario.name)!
  for (let round = 0; round < rounds; round++)
    for (const row of live) {
      row.open.push(await openLoop(row.server.url, row.server.key, row.scenario, rateOf(row), seconds))
      process.stdout.write(".")
    }
  for (const row of live.filter((r) => r.scenario.name === "background")) row.pickup = await pickup(row.server.url, row.server.key, pickups)
  console.log("\n")

  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "-")
  const ratio = (a: number, b: number, target: string) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×${target}` : "-")
  for (const scenario of chosen) {
    const own = rows.filter((r) => r.scenario === scenario || (scenario.name === "wait" && r.scenario.name === "execute"))
    const refRow = own.find((r) => r.server === ref && r.scenario === scenario)!
    const rate = rates.get(scenario.name)
    console.log(`== ${scenario.title} — open loop at ${rate ?? "-"} req/s (80% of the slowest), closed loop ${connections} connections`)
    console.log(
      `${"server / route".padEnd(52)} ${"req/s".padStart(7)} ${`p99@${connections}c`.padStart(8)} ${"CPU/req".padStart(8)} ${"open p50".padStart(9)} ${"open p99".padStart(9)} ${"errors".padStart(7)}${scenario.name === "background" ? "  pickup p50/p99" : ""}`
    )
    const stats = (r: Row) => {
      const all = r.open.flatMap((m) => m.latencies).sort((a, b) => a - b)
      return {
        rps: rps(r),
        closedP99: median(r.closed.map((m) => percentile(m.latencies, 0.99))),
        cpu: median(r.closed.map((m) => m.cpuMs)),
        p50: percentile(all, 0.5),
        p99: percentile(all, 0.99),
        errors: [...r.closed, ...r.open].reduce((n, m) => n + m.errors, 0),
        causes: [...new Set([...r.closed, ...r.open].flatMap((m) => [...m.causes]))]
      }
    }
    const refStats = refRow.missing === undefined ? stats(refRow) : undefined
    for (const r of own) {
      if (r.missing !== undefined) {
        console.log(`${r.label.padEnd(52)} n/a (${r.missing})`)
        continue
      }
      const s = stats(r)
      const pick = r.pickup !== undefined ? `  ${f(percentile(r.pickup, 0.5))} / ${f(percentile(r.pickup, 0.99))} ms` : ""
      console.log(
        `${r.label.padEnd(52)} ${f(s.rps, 0).padStart(7)} ${f(s.closedP99).padStart(6)}ms ${f(s.cpu, 2).padStart(6)}ms ${f(s.p50).padStart(7)}ms ${f(s.p99).padStart(7)}ms ${String(s.errors).padStart(7)}${pick}${s.causes.length > 0 ? `  (${s.causes.join(", ")})` : ""}`
      )
      if (r !== refRow && refStats !== undefined)
        console.log(
          `${"".padEnd(6)}vs reference: throughput ${ratio(s.rps, refStats.rps, " (target ≥ 3)")}, p99@${connections}c ${ratio(s.closedP99, refStats.closedP99, " (target ≤ 0.5)")}, open p99 ${ratio(s.p99, refStats.p99, " (target ≤ 0.5)")}, CPU/req ${ratio(s.cpu, refStats.cpu, "")}`
        )
    }
    if (scenario.name === "background") console.log("pickup: POST …/runs answered → first GET of the run that is no longer pending, on an idle server, sequential (target p50 ≤ 20 ms)")
    console.log("")
  }
  console.log("Shared 2-core machines drift: read ratios from one run, and rerun before trusting a single number.")
} finally {
  await cleanup()
}
