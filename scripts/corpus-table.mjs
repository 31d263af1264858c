// Regenerates test/compat/corpus.json from what the built CLI does with every CSV of the
// compatibility corpus. Run it after a change that alters corpus behaviour, then READ THE DIFF:
// the table is the reviewed record of what each file is expected to do.
// LLM agents answer from the fake provider server the tests use (deterministic replies).
//   node --import tsx scripts/corpus-table.mjs            (writes test/compat/corpus.json)
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
// the same place the tests look: AGENTMAP_COMPAT_CORPUS, else ../shared/compat/agentmap-examples
const { CORPUS: corpus, CORPUS_FOUND, corpusFiles, corpusWorkspace, missingCorpus } = await import("../test/compat/corpus.ts")
if (!CORPUS_FOUND) {
  console.error(missingCorpus)
  process.exit(2)
}
const tablePath = path.join(root, "test/compat/corpus.json")
const previous = fs.existsSync(tablePath) ? JSON.parse(fs.readFileSync(tablePath, "utf8")) : {}


const { startFakeLlm } = await import("../test/support/FakeLlmServer.ts")
const { llmEnv } = await import("../test/support/llm.ts")
const fake = await startFakeLlm()
const { agentmap } = await import("../test/support/cli.ts")
// the same project folder as the tests: the examples' agents, tools and host services, and scaffolded stubs
const cwd = corpusWorkspace(agentmap)
const cli = (args) =>
  new Promise((resolve) =>
    execFile(process.execPath, [path.join(root, "bin/agentmap.cjs"), ...args, "--json"], { cwd, encoding: "utf8", env: { PATH: process.env.PATH, HOME: cwd, ...llmEnv(fake) } }, (error, stdout) =>
      resolve({ exit: error === null ? 0 : error.code, doc: stdout.trim() === "" ? null : JSON.parse(stdout) })
    )
  )

const table = {}
for (const file of corpusFiles()) {
  const absolute = path.join(corpus, file)
  const v = await cli(["validate", absolute])
  const entry = {
    validate: {
      exit: v.exit,
      graphs: v.doc?.graphs ?? [],
      errors: (v.doc?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => `${d.line}:${d.column} ${d.code}`)
    }
  }
  const runs = previous[file]?.runs ?? [{ state: {} }]
  entry.runs = []
  for (const { state, graph } of runs) {
    const r = await cli(["run", absolute, "--state", JSON.stringify(state), ...(graph ? ["--graph", graph] : [])])
    const base = { ...(graph ? { graph } : {}), state, exit: r.exit }
    if (r.doc?.status !== undefined) {
      const { errors, last_action_success, ...outputs } = r.doc.outputs
      const interrupt = r.doc.interrupt === undefined ? {} : { interrupt: { node: r.doc.interrupt.node, type: r.doc.interrupt.type } }
      const used = r.doc.execution_summary.node_executions.filter((e) => e.llm !== undefined)
      const models = used.length === 0 ? {} : { models: Object.fromEntries(used.map((e) => [e.node, `${e.llm.provider}/${e.llm.model}`])) }
      entry.runs.push({ ...base, status: r.doc.status, nodes: r.doc.execution_summary.node_executions.map((e) => e.node), ...models, ...interrupt, outputs })
      continue
    }
    const codes = [...new Set((r.doc?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.code))]
    entry.runs.push({ ...base, error: r.doc?.error ?? null, ...(codes.length > 0 ? { codes } : {}) })
  }
  table[file] = entry
}
await fake.close()
fs.writeFileSync(tablePath, `${JSON.stringify(table, null, 2)}\n`)
console.log(`wrote ${Object.keys(table).length} entries to ${path.relative(root, tablePath)}`)
