// Serverless cold start and warm overhead: `npm run bench:serverless [runs]`.
// Cold: a fresh `node` process loads the AWS bundle (dist/cloud/aws, built by `npm run build:aws`)
// and answers one API Gateway (HTTP API) event for a 3-node echo chain; against the same for
//  - "engine direct": a minimal handler that runs AgentMap's compiled LangGraph graph for the same
//    CSV directly (bundled, minified and code-cached exactly like the AWS bundle): the target's baseline;
//  - "hand-written LangGraph": a 3-node StateGraph written by hand, bundled and minified (for scale).
// Warm: median per invocation over 3 × 300 invocations in one process, handlers side by side.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { build } from "esbuild"
import { median, ROOT, tempDir } from "./lib.mjs"

const runs = Number(process.argv[2] ?? 9)
const bundle = path.join(ROOT, "dist", "cloud", "aws", "index.js")
const bundleBytes = fs.statSync(path.join(ROOT, "dist", "cloud", "aws", "agentmap.js")).size
if (!fs.existsSync(bundle)) {
  console.error("no AWS bundle: run `npm run build:aws` first")
  process.exit(2)
}
const dir = tempDir()
fs.mkdirSync(path.join(dir, "workflows"))
fs.writeFileSync(path.join(dir, "workflows", "chain.csv"), "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge\nC,N0,echo,v0,v1,N1\nC,N1,echo,v1,v2,N2\nC,N2,echo,v2,v3,\n")
const raw = path.join(dir, "raw-lambda.cjs")
await build({ entryPoints: [path.join(ROOT, "bench/programs/raw-lambda.mjs")], outfile: raw, bundle: true, format: "cjs", platform: "node", target: "node20", minify: true, logLevel: "warning" })
// the engine-direct baseline: same esbuild options and loader as scripts/build-cloud.mjs, code cache warmed the same way
const engineDir = path.join(dir, "engine")
await build({
  entryPoints: [path.join(ROOT, "bench/programs/raw-engine-lambda.ts")],
  outfile: path.join(engineDir, "agentmap.js"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  external: ["better-sqlite3", "esbuild", "pg-native"],
  define: { "import.meta.url": "__agentmap_import_meta_url" },
  banner: { js: "var __agentmap_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: "warning"
})
fs.copyFileSync(path.join(ROOT, "scripts", "cloud-loader.cjs"), path.join(engineDir, "index.cjs"))
const engine = path.join(engineDir, "index.cjs")

const event = {
  version: "2.0",
  rawPath: "/execute/chain",
  rawQueryString: "",
  headers: { "content-type": "application/json", host: "bench.lambda-url.eu-west-1.on.aws" },
  requestContext: { requestId: "bench", stage: "$default", http: { method: "POST", path: "/execute/chain" } },
  body: JSON.stringify({ state: { v0: "hello" } }),
  isBase64Encoded: false
}
// what Lambda's Node runtime does: require the handler module, then call it with the event
const coldScript = (file) => `
const t0 = performance.now()
const { handler } = require(${JSON.stringify(file)})
const t1 = performance.now()
handler(${JSON.stringify(event)}, { awsRequestId: "cold" }).then((r) => {
  const t2 = performance.now()
  if (r.statusCode !== 200 || !r.body.includes('"v3":"hello"')) { console.error(JSON.stringify(r)); process.exit(1) }
  console.log(JSON.stringify({ total: t2, load: t1 - t0, first: t2 - t1 }))
  process.exit(0)
})`
const env = { PATH: process.env.PATH, HOME: dir, AGENTMAP_AUTH_ENABLED: "false", AGENTMAP_LOG_LEVEL: "error" }
const cold = (file) => {
  const started = process.hrtime.bigint()
  const r = spawnSync(process.execPath, ["-e", coldScript(file)], { cwd: dir, env, encoding: "utf8" })
  const wall = Number(process.hrtime.bigint() - started) / 1e6
  if (r.status !== 0) throw new Error(`cold run failed: ${r.stderr}${r.stdout}`)
  return { ...JSON.parse(r.stdout.trim().split("\n").pop()), wall }
}

const warmEngine = spawnSync(
  process.execPath,
  ["-e", `const { handler } = require(${JSON.stringify(engine)}); (async () => { for (let i = 0; i < 3; i++) await handler(${JSON.stringify(event)}); process.exit(0) })()`],
  { cwd: dir, env: { ...env, AGENTMAP_WRITE_CODE_CACHE: "1" }, encoding: "utf8" }
)
if (warmEngine.status !== 0) throw new Error(`engine warm-up failed: ${warmEngine.stderr}`)

console.log(`node ${process.version}; ${runs} fresh processes each, interleaved; bundle ${(bundleBytes / 1024).toFixed(0)} KiB (+ code cache), raw ${(fs.statSync(raw).size / 1024).toFixed(0)} KiB\n`)
cold(bundle), cold(engine), cold(raw)
const samples = { agentmap: [], engine: [], raw: [] }
for (let i = 0; i < runs; i++) {
  samples.agentmap.push(cold(bundle))
  samples.engine.push(cold(engine))
  samples.raw.push(cold(raw))
}
const show = (name, xs) => {
  const m = (k) => median(xs.map((x) => x[k]))
  console.log(`${name.padEnd(22)} answered at ${m("total").toFixed(0).padStart(4)} ms after process start (load ${m("load").toFixed(0)} ms + first invocation ${m("first").toFixed(0)} ms); wall ${m("wall").toFixed(0)} ms`)
  return m("total")
}
const a = show("agentmap/aws bundle", samples.agentmap)
const e = show("engine direct", samples.engine)
const b = show("hand-written LangGraph", samples.raw)
console.log(`\ncold start: ${a.toFixed(0)} ms (target <= 300 ms); ratio to engine direct ${(a / e).toFixed(2)} (target <= 1.5); to hand-written LangGraph ${(a / b).toFixed(2)}`)

const warmScript = `
const agentmap = require(${JSON.stringify(bundle)}).handler
const raw = require(${JSON.stringify(raw)}).handler
const engine = require(${JSON.stringify(engine)}).handler
const event = ${JSON.stringify(event)}
const time = async (h, n) => { const xs = []; for (let i = 0; i < n; i++) { const t = performance.now(); await h(event, { awsRequestId: "w" + i }); xs.push(performance.now() - t) } xs.sort((x, y) => x - y); return xs[Math.floor(xs.length / 2)] }
;(async () => {
  await time(agentmap, 100); await time(engine, 100); await time(raw, 100)
  const out = { agentmap: [], engine: [], raw: [] }
  for (let r = 0; r < 3; r++) { out.agentmap.push(await time(agentmap, 300)); out.engine.push(await time(engine, 300)); out.raw.push(await time(raw, 300)) }
  console.log(JSON.stringify(out)); process.exit(0)
})()`
const w = spawnSync(process.execPath, ["-e", warmScript], { cwd: dir, env, encoding: "utf8" })
if (w.status !== 0) throw new Error(w.stderr)
const warm = JSON.parse(w.stdout.trim().split("\n").pop())
const wa = median(warm.agentmap)
const we = median(warm.engine)
const wb = median(warm.raw)
console.log(
  `warm invocation: agentmap ${wa.toFixed(2)} ms, engine direct ${we.toFixed(2)} ms, hand-written ${wb.toFixed(2)} ms (medians of 3 × 300); ` +
    `overhead beyond the graph's own work ${(wa - we).toFixed(2)} ms (target <= 2 ms)`
)
fs.rmSync(dir, { recursive: true, force: true })
