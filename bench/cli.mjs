// agentmap run vs a hand-written LangGraph JS program, as fresh processes, interleaved, medians.
//   node bench/cli.mjs [runs]     (default 9 runs per command)
// Prints cold start (3-node chain), per-node cost (403-node chain), validate time for a
// 10,000-row CSV and peak memory, each against its baseline measured in the same run.
import * as fs from "node:fs"
import * as path from "node:path"
import { AGENTMAP, ROOT, chainCsv, fmt, interleaved, tempDir } from "./lib.mjs"

const runs = Number(process.argv[2] ?? 9)
const dir = tempDir()
const baseline = path.join(ROOT, "bench", "programs", "langgraph-chain.mjs")
const agentmap = (file) => ({ args: [AGENTMAP, "run", file, "--state", '{"v0":"hello"}', "--json"], cwd: dir })
const langgraph = (n) => ({ args: [baseline, String(n)], cwd: ROOT })

console.log(`node ${process.version}, ${runs} runs per command, interleaved, medians (min-max)\n`)

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
console.log(`  of which the rows  ${fmt(v10k.ms - v3.ms)} (same command on a 3-row CSV: ${fmt(v3.ms)})  (target < 300 ms)`)
fs.rmSync(dir, { recursive: true, force: true })
