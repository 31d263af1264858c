// What telemetry costs per node: the same echo chains (10 and 200 nodes, SQLite checkpoints) run
// in-process through the real WorkflowService with telemetry off and with telemetry on (every span
// sampled and exported over OTLP/HTTP to a sink on loopback), interleaved, medians.
//   node --import tsx bench/telemetry.ts [runs]        (npm run bench:telemetry)
// Cold start with telemetry off against a baseline checkout is bench/cli.mjs's comparison:
//   AGENTMAP_BENCH_ONLY=against AGENTMAP_BENCH_AGAINST=../baseline node bench/cli.mjs 21
import * as fs from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, ManagedRuntime } from "effect"
import { WorkflowService } from "../src/application/WorkflowService.js"
import * as AppLayer from "../src/adapters/AppLayer.js"
import { loadConfig } from "../src/adapters/config/ConfigLoader.js"
import { TelemetryControl } from "../src/adapters/telemetry/Telemetry.js"
import * as TtyTerminal from "../src/adapters/terminal/TtyTerminal.js"

const runs = Number(process.argv[2] ?? 9)
const SHORT = 10
const LONG = 200

// the collector: counts what arrives and answers at once
let exports = 0
let bytes = 0
const sink = createServer((req, res) => {
  req.on("data", (c: Buffer) => void (bytes += c.length))
  req.on("end", () => {
    exports++
    res.writeHead(200, { "content-type": "application/json" }).end("{}")
  })
})
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve))
const endpoint = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`

const runtimeFor = async (name: string, telemetry: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `agentmap-bench-telemetry-${name}-`))
  for (const n of [SHORT, LONG]) {
    const rows = ["GraphName,Node,AgentType,Input_Fields,Output_Field,Edge"]
    for (let i = 0; i < n; i++) rows.push(`Chain,N${i},echo,v${i},v${i + 1},${i < n - 1 ? `N${i + 1}` : ""}`)
    fs.writeFileSync(path.join(dir, `chain-${n}.csv`), `${rows.join("\n")}\n`)
  }
  fs.writeFileSync(path.join(dir, "agentmap_config.yaml"), `persistence:\n  backend: sqlite\n  sqlite_path: ${path.join(dir, "bench.db")}\nexecution:\n  max_steps: 5000\n${telemetry}`)
  const { config } = await Effect.runPromise(loadConfig({ explicit: undefined, env: {}, cwd: dir, home: dir }))
  const rt = ManagedRuntime.make(AppLayer.layer({ config, cwd: dir, terminal: TtyTerminal.layerNone }))
  const run = (n: number) => rt.runPromise(Effect.flatMap(WorkflowService, (s) => s.execute({ workflow: `chain-${n}.csv`, state: { v0: "x" } })))
  const flush = () => rt.runPromise(Effect.flatMap(TelemetryControl, (t) => t.flush))
  return { name, dir, rt, run, flush }
}

const off = await runtimeFor("off", "")
const on = await runtimeFor("on", `telemetry:\n  enabled: true\n  endpoint: ${endpoint}\n  sample_ratio: 1\n`)
const variants = [off, on]

const time = async (work: () => Promise<unknown>) => {
  const t0 = performance.now()
  await work()
  return performance.now() - t0
}
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

// warm-up: JIT, tables, the SDK's exporter connection
for (const v of variants) for (const n of [SHORT, LONG]) await v.run(n)
await on.flush()

const samples: Record<string, Record<number, Array<number>>> = { off: { [SHORT]: [], [LONG]: [] }, on: { [SHORT]: [], [LONG]: [] } }
for (let i = 0; i < runs; i++)
  for (const v of i % 2 === 0 ? variants : [...variants].reverse())
    for (const n of [SHORT, LONG]) {
      samples[v.name]![n]!.push(await time(() => v.run(n)))
      // exporting happens in the background between runs, as in a server; flushed here so one run's export does not land in another's time
      await v.flush()
    }

const perNode = (name: string) => (median(samples[name]![LONG]!) - median(samples[name]![SHORT]!)) / (LONG - SHORT)
console.log(`node ${process.version}, ${runs} runs each, interleaved, medians; echo chains on SQLite, telemetry on = every span exported over OTLP/HTTP (JSON) to a loopback sink\n`)
for (const name of ["off", "on"])
  console.log(`  telemetry ${name.padEnd(3)}  ${SHORT} nodes ${median(samples[name]![SHORT]!).toFixed(1).padStart(7)} ms   ${LONG} nodes ${median(samples[name]![LONG]!).toFixed(1).padStart(7)} ms   per node ${perNode(name).toFixed(3)} ms`)
console.log(`\n  per-node overhead of telemetry: ${(perNode("on") - perNode("off")).toFixed(3)} ms  (×${(perNode("on") / perNode("off")).toFixed(2)} the per-node time with telemetry off)`)
console.log(`  whole ${LONG}-node run: ×${(median(samples["on"]![LONG]!) / median(samples["off"]![LONG]!)).toFixed(2)}`)
console.log(`  the sink received ${exports} export requests, ${(bytes / 1024).toFixed(0)} KiB`)

for (const v of variants) {
  await v.rt.dispose()
  fs.rmSync(v.dir, { recursive: true, force: true })
}
sink.close()
