// What recording metrics costs per node, against what a node costs: the metric updates a node
// execution makes (Metrics.nodeEnded: one histogram observation by graph/node/agent type) and a
// run leg makes (runEnded + the active-runs gauge), timed in a loop against an Effect.void
// baseline, next to a 1,000-node echo chain run in memory through the real WorkflowService.
// The cost of a scrape (Prometheus text of the registry) is printed too. All in this run.
//   node --import tsx bench/metrics.ts            (npm run bench:metrics)
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, ManagedRuntime, Metric } from "effect"
import * as Metrics from "../src/application/Metrics.js"
import { WorkflowService } from "../src/application/WorkflowService.js"
import * as AppLayer from "../src/adapters/AppLayer.js"
import { loadConfig } from "../src/adapters/config/ConfigLoader.js"
import { toPrometheusText } from "../src/adapters/metrics/PrometheusText.js"
import * as TtyTerminal from "../src/adapters/terminal/TtyTerminal.js"

const N = 200_000
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const indices = Array.from({ length: N }, (_, i) => i)
const perCall = (work: (i: number) => Effect.Effect<void>) => {
  const rounds: Array<number> = []
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now()
    Effect.runSync(Effect.forEach(indices, work, { discard: true }))
    rounds.push(((performance.now() - t0) * 1000) / N)
  }
  return median(rounds)
}

const baseline = perCall(() => Effect.void)
// 50 graphs × 20 nodes: label sets as a real deployment has them
const node = perCall((i) => Metrics.nodeEnded(`G${i % 50}`, `N${i % 20}`, "echo", 0.001, i % 10 !== 0))
const leg = perCall((i) => Effect.zipRight(Metrics.whileActive(`G${i % 50}`, Effect.void), Metrics.runEnded(`G${i % 50}`, "completed", 0.5, undefined)))

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-bench-metrics-"))
const rows = ["GraphName,Node,AgentType,Input_Fields,Output_Field,Edge"]
for (let i = 0; i < 1000; i++) rows.push(`Chain,N${i},echo,v${i},v${i + 1},${i < 999 ? `N${i + 1}` : ""}`)
fs.writeFileSync(path.join(dir, "chain.csv"), `${rows.join("\n")}\n`)
fs.writeFileSync(path.join(dir, "agentmap_config.yaml"), "persistence:\n  backend: memory\nexecution:\n  max_steps: 5000\n")
const { config } = await Effect.runPromise(loadConfig({ explicit: undefined, env: {}, cwd: dir, home: dir }))
const rt = ManagedRuntime.make(AppLayer.layer({ config, cwd: dir, terminal: TtyTerminal.layerNone }))
const once = () => rt.runPromise(Effect.flatMap(WorkflowService, (s) => s.execute({ workflow: "chain.csv", state: { v0: "x" } })))
await once()
const chain: Array<number> = []
for (let r = 0; r < 3; r++) {
  const t0 = performance.now()
  await once()
  chain.push(((performance.now() - t0) * 1000) / 1000)
}
await rt.dispose()

const scrapes: Array<number> = []
let size = 0
for (let r = 0; r < 20; r++) {
  const t0 = performance.now()
  size = toPrometheusText(Effect.runSync(Metric.snapshot)).length
  scrapes.push(performance.now() - t0)
}

const us = (x: number) => `${x.toFixed(2)} µs`
console.log(`Effect.void baseline            ${us(baseline)} per call`)
console.log(`metrics of one node execution   ${us(node - baseline)} (nodeEnded, 1,000 label sets)`)
console.log(`metrics of one run leg          ${us(leg - baseline)} (active gauge ±1, runs, duration)`)
console.log(`one node of a 1,000-node chain  ${us(median(chain))} (memory store, metrics included)`)
console.log(`  → metrics are ${(((node - baseline) / median(chain)) * 100).toFixed(2)}% of a node's cost`)
console.log(`a scrape (Prometheus text)      ${median(scrapes).toFixed(2)} ms for ${(size / 1024).toFixed(0)} KiB`)
