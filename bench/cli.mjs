// agentmap run vs a hand-written LangGraph JS program, as fresh processes, interleaved, medians.
//   node bench/cli.mjs [runs]     (default 9 runs per command)
// Prints cold start (3-node chain), per-node cost (403-node chain), validate time for a
// 10,000-row CSV and peak memory, each against its baseline measured in the same run; then a
// workflow with a custom agent: its first run (the module compiled) and later runs (from the
// cache), against the built-in chain.
//   AGENTMAP_BENCH_AGAINST=/path/to/other/checkout node bench/cli.mjs
// also times the other checkout's built CLI (its bin/agentmap.cjs) on the same 3-node chain,
// interleaved with this one: before/after figures for a change.
// The compile cache: cold `run` of the 3-node and 403-node chains routed by a TypeScript routing
// function, with an empty cache (paths.cache's compiled entries removed before each run) and a
// warm one; and the most a cached validated plan could save on the 403-node chain (the rows'
// validation and preparation, as `validate` of 403 rows minus 3 rows), against its cold run.
//   AGENTMAP_BENCH_ONLY=cache node bench/cli.mjs 5     (only this section)
//   AGENTMAP_BENCH_ONLY=against AGENTMAP_BENCH_AGAINST=../other node bench/cli.mjs 21   (only the comparison)
import * as fs from "node:fs"
import * as path from "node:path"
import { AGENTMAP, ROOT, chainCsv, fmt, interleaved, tempDir } from "./lib.mjs"

const runs = Number(process.argv[2] ?? 9)
const dir = tempDir()
const baseline = path.join(ROOT, "bench", "programs", "langgraph-chain.mjs")
const agentmap = (file) => ({ args: [AGENTMAP, "run", file, "--state", '{"v0":"hello"}', "--json"], cwd: dir })
const langgraph = (n) => ({ args: [baseline, String(n)], cwd: ROOT })

console.log(`node ${process.version}, ${runs} runs per command, interleaved, medians (min-max)\n`)

/** A project whose N-node chain's first edge is `func:next`, a TypeScript routing function. */
const routedChain = (sub, n) => {
  const project = path.join(dir, sub)
  fs.mkdirSync(path.join(project, "functions"), { recursive: true })
  fs.writeFileSync(path.join(project, "functions", "next.ts"), "export default function next(state: Record<string, unknown>, success: string): string {\n  return success\n}\n")
  const rows = ["GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Success_Next"]
  for (let i = 0; i < n; i++) rows.push(`Chain,N${i},echo,v${i},v${i + 1},${i === 0 ? "func:next" : i < n - 1 ? `N${i + 1}` : ""},${i === 0 ? "N1" : ""}`)
  fs.writeFileSync(path.join(project, "chain.csv"), `${rows.join("\n")}\n`)
  return project
}
const emptyCache = (project) => () => {
  for (const folder of ["functions", "modules"]) fs.rmSync(path.join(project, ".agentmap", folder), { recursive: true, force: true })
}
const runChain = (project) => ({ args: [AGENTMAP, "run", "chain.csv", "--state", '{"v0":"hello"}', "--json"], cwd: project })
const cacheSection = () => {
  const e3 = routedChain("cache-empty-3", 3)
  const w3 = routedChain("cache-warm-3", 3)
  const e403 = routedChain("cache-empty-403", 403)
  const w403 = routedChain("cache-warm-403", 403)
  const [ce3, cw3, ce403, cw403] = interleaved([{ ...runChain(e3), before: emptyCache(e3) }, runChain(w3), { ...runChain(e403), before: emptyCache(e403) }, runChain(w403)], runs)
  console.log("compile cache: cold run of a chain routed by a TypeScript function (func:next)")
  console.log(`  3 nodes,   empty cache  ${fmt(ce3.ms)} (${fmt(ce3.min)}-${fmt(ce3.max)})`)
  console.log(`  3 nodes,   warm cache   ${fmt(cw3.ms)} (${fmt(cw3.min)}-${fmt(cw3.max)})  saves ${fmt(ce3.ms - cw3.ms)} (${((1 - cw3.ms / ce3.ms) * 100).toFixed(0)}%)`)
  console.log(`  403 nodes, empty cache  ${fmt(ce403.ms)} (${fmt(ce403.min)}-${fmt(ce403.max)})`)
  console.log(`  403 nodes, warm cache   ${fmt(cw403.ms)} (${fmt(cw403.min)}-${fmt(cw403.max)})  saves ${fmt(ce403.ms - cw403.ms)} (${((1 - cw403.ms / ce403.ms) * 100).toFixed(0)}%)`)
  const [v403, v3] = interleaved([{ args: [AGENTMAP, "validate", "chain.csv"], cwd: w403 }, { args: [AGENTMAP, "validate", "chain.csv"], cwd: w3 }], runs)
  const rows = v403.ms - v3.ms
  console.log("  a cached validated plan (403 nodes) could save at most the rows' validation and preparation:")
  console.log(`    validate 403 rows ${fmt(v403.ms)} - validate 3 rows ${fmt(v3.ms)} = ${fmt(rows)}, ${((rows / cw403.ms) * 100).toFixed(1)}% of the warm 403-node run (kept only if >= 10%)\n`)
}
/** With AGENTMAP_BENCH_AGAINST: cold start of this checkout against another one's, interleaved. */
function againstSection() {
  const against = process.env["AGENTMAP_BENCH_AGAINST"]
  if (against !== undefined && against !== "") {
    const other = path.join(path.resolve(against), "bin", "agentmap.cjs")
    const chain = chainCsv(dir, 3)
    const [mine, theirs] = interleaved([agentmap(chain), { args: [other, "run", chain, "--state", '{"v0":"hello"}', "--json"], cwd: dir }], runs)
    console.log(`cold start, 3-node echo chain: this checkout vs ${against}`)
    console.log(`  this checkout  ${fmt(mine.ms)} (${fmt(mine.min)}-${fmt(mine.max)})  peak RSS ${(mine.rss / 1024).toFixed(0)} MiB`)
    console.log(`  other          ${fmt(theirs.ms)} (${fmt(theirs.min)}-${fmt(theirs.max)})  peak RSS ${(theirs.rss / 1024).toFixed(0)} MiB`)
    console.log(`  ratio          ${(mine.ms / theirs.ms).toFixed(3)}  (target 0.95-1.05)\n`)
  }
}
if (process.env["AGENTMAP_BENCH_ONLY"] === "against") {
  againstSection()
  fs.rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
if (process.env["AGENTMAP_BENCH_ONLY"] === "cache") {
  cacheSection()
  fs.rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}

const [a3, l3] = interleaved([agentmap(chainCsv(dir, 3)), langgraph(3)], runs)
console.log("cold start, 3-node echo chain")
console.log(`  agentmap run   ${fmt(a3.ms)} (${fmt(a3.min)}-${fmt(a3.max)})  peak RSS ${(a3.rss / 1024).toFixed(0)} MiB`)
console.log(`  LangGraph JS   ${fmt(l3.ms)} (${fmt(l3.min)}-${fmt(l3.max)})  peak RSS ${(l3.rss / 1024).toFixed(0)} MiB`)
console.log(`  ratio          ${(a3.ms / l3.ms).toFixed(2)}  (target <= 1.5, aim <= 1.0)\n`)

const [a403, l403] = interleaved([agentmap(chainCsv(dir, 403)), langgraph(403)], runs)
const perNodeA = (a403.ms - a3.ms) / 400
const perNodeL = (l403.ms - l3.ms) / 400
console.log("403-node echo chain")
console.log(`  agentmap run   ${fmt(a403.ms)}  per node ${perNodeA.toFixed(3)} ms  peak RSS ${(a403.rss / 1024).toFixed(0)} MiB`)
console.log(`  LangGraph JS   ${fmt(l403.ms)}  per node ${perNodeL.toFixed(3)} ms  peak RSS ${(l403.rss / 1024).toFixed(0)} MiB`)
console.log(`  per-node ratio ${(perNodeA / perNodeL).toFixed(2)}  (target <= 1.3)\n`)

const big = chainCsv(dir, 10_000)
const small = chainCsv(dir, 3)
const [v10k, v3] = interleaved([{ args: [AGENTMAP, "validate", big], cwd: dir }, { args: [AGENTMAP, "validate", small], cwd: dir }], runs)
console.log(`validate, 10,000-row CSV (${(fs.statSync(big).size / 1024).toFixed(0)} KiB)`)
console.log(`  agentmap validate  ${fmt(v10k.ms)} wall (${fmt(v10k.min)}-${fmt(v10k.max)})  peak RSS ${(v10k.rss / 1024).toFixed(0)} MiB`)
console.log(`  of which the rows  ${fmt(v10k.ms - v3.ms)} (same command on a 3-row CSV: ${fmt(v3.ms)})  (target < 300 ms)\n`)
const custom = (sub) => {
  const project = path.join(dir, sub)
  fs.mkdirSync(path.join(project, "custom_agents"), { recursive: true })
  fs.writeFileSync(
    path.join(project, "custom_agents", "shout.ts"),
    'import { defineAgent } from "agentmap"\n\nexport default defineAgent({\n  run: (ctx) => String(ctx.inputs["v0"]).toUpperCase()\n})\n'
  )
  fs.writeFileSync(path.join(project, "flow.csv"), "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge\nFlow,A,echo,v0,v1,B\nFlow,B,shout,v0,v2,C\nFlow,C,echo,v2,v3,\n")
  return project
}
const coldProject = custom("custom-cold")
const warmProject = custom("custom-warm")
const runIn = () => [AGENTMAP, "run", "flow.csv", "--state", '{"v0":"hello"}', "--json"]
const [c1, c2, b3] = interleaved(
  [
    { args: runIn(), cwd: coldProject, before: () => fs.rmSync(path.join(coldProject, ".agentmap", "modules"), { recursive: true, force: true }) },
    { args: runIn(), cwd: warmProject },
    agentmap(chainCsv(dir, 3))
  ],
  runs
)
console.log("custom agent (3 nodes, one of them a custom TypeScript agent)")
console.log(`  first run (compile)  ${fmt(c1.ms)} (${fmt(c1.min)}-${fmt(c1.max)})  ${(c1.ms / b3.ms).toFixed(2)}x the built-in chain`)
console.log(`  later runs (cache)   ${fmt(c2.ms)} (${fmt(c2.min)}-${fmt(c2.max)})  ${(c2.ms / b3.ms).toFixed(2)}x the built-in chain`)
console.log(`  built-in 3-node chain ${fmt(b3.ms)}\n`)

cacheSection()

againstSection()
fs.rmSync(dir, { recursive: true, force: true })
