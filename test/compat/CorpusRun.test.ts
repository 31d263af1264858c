import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentmap, agentmapAsync } from "../support/cli.js"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { llmEnv } from "../support/llm.js"
import { CORPUS, CORPUS_FOUND, corpusWorkspace, TABLE } from "./corpus.js"

const cases = Object.entries(TABLE).flatMap(([file, entry]) => entry.runs.map((run, i) => ({ file, run, label: `${file} #${i + 1}` })))
let cwd = ""

describe.skipIf(!CORPUS_FOUND)("compatibility corpus: agentmap run", () => {
  // LLM agents answer from fake OpenAI, Anthropic and Gemini servers (deterministic replies)
  let fake: FakeLlm
  beforeAll(async () => {
    fake = await startFakeLlm()
    if (CORPUS_FOUND) cwd = corpusWorkspace(agentmap)
  })
  afterAll(() => fake.close())

  it.each(cases)("$label runs as pinned", async ({ file, run }) => {
    const args = ["run", path.join(CORPUS, file), "--state", JSON.stringify(run.state), "--json", ...(run.graph ? ["--graph", run.graph] : [])]
    const r = await agentmapAsync(args, { cwd, env: llmEnv(fake) })
    expect(r.stderr).not.toMatch(/\n\s+at /)
    const doc = JSON.parse(r.stdout) as Record<string, unknown>
    expect(r.status).toBe(run.exit)
    if (run.status !== undefined) {
      const summary = doc["execution_summary"] as { node_executions: Array<{ node: string; llm?: { provider: string; model: string } }> }
      const { errors: _errors, last_action_success: _flag, ...outputs } = doc["outputs"] as Record<string, unknown>
      expect(doc["status"]).toBe(run.status)
      expect(summary.node_executions.map((e) => e.node)).toEqual(run.nodes)
      const used = summary.node_executions.flatMap((e) => (e.llm === undefined ? [] : [[e.node, `${e.llm.provider}/${e.llm.model}`] as const]))
      expect(Object.fromEntries(used)).toEqual(run.models ?? {})
      const interrupt = doc["interrupt"] as { node: string; type: string } | undefined
      expect(interrupt === undefined ? undefined : { node: interrupt.node, type: interrupt.type }).toEqual(run.interrupt)
      expect(outputs).toEqual(run.outputs)
    } else {
      expect(doc["error"]).toBe(run.error)
      const codes = [...new Set(((doc["diagnostics"] ?? []) as Array<{ severity: string; code: string }>).filter((d) => d.severity === "error").map((d) => d.code))]
      expect(codes).toEqual(run.codes ?? [])
    }
  })

  it("refuses to start exactly the files validate fails, for the same reasons", () => {
    for (const { file, run } of cases) {
      const validate = TABLE[file]!.validate
      const refused = run.error === "InvalidWorkflow"
      if (validate.exit === 0) expect({ file, refused }).toEqual({ file, refused: false })
      // validate checks every graph of a file; run only the one it runs, so only one-graph files must match both ways
      else if (validate.graphs.length === 1)
        expect({ file, refused, codes: run.codes }).toEqual({ file, refused: true, codes: [...new Set(validate.errors.map((e) => e.split(" ")[1]))] })
    }
  })
})
