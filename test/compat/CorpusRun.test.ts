import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"
import { CORPUS, TABLE } from "./corpus.js"

const cases = Object.entries(TABLE).flatMap(([file, entry]) => entry.runs.map((run, i) => ({ file, run, label: `${file} #${i + 1}` })))
const cwd = workspace({})

describe("compatibility corpus: agentmap run", () => {
  it.each(cases)("$label runs as pinned", ({ file, run }) => {
    const args = ["run", path.join(CORPUS, file), "--state", JSON.stringify(run.state), "--json", ...(run.graph ? ["--graph", run.graph] : [])]
    const r = agentmap(args, { cwd })
    expect(r.stderr).not.toMatch(/\n\s+at /)
    const doc = json(r)
    expect(r.status).toBe(run.exit)
    if (run.status !== undefined) {
      const summary = doc["execution_summary"] as { node_executions: Array<{ node: string }> }
      const { errors: _errors, last_action_success: _flag, ...outputs } = doc["outputs"] as Record<string, unknown>
      expect(doc["status"]).toBe(run.status)
      expect(summary.node_executions.map((e) => e.node)).toEqual(run.nodes)
      const interrupt = doc["interrupt"] as { node: string; type: string } | undefined
      expect(interrupt === undefined ? undefined : { node: interrupt.node, type: interrupt.type }).toEqual(run.interrupt)
      expect(outputs).toEqual(run.outputs)
    } else {
      expect(doc["error"]).toBe(run.error)
      const codes = [...new Set(((doc["diagnostics"] ?? []) as Array<{ severity: string; code: string }>).filter((d) => d.severity === "error").map((d) => d.code))]
      expect(codes).toEqual(run.codes ?? [])
    }
  })

  it("refuses a file that validates only for agent types this build does not have", () => {
    for (const { file, run } of cases) {
      if (run.status !== undefined || TABLE[file]!.validate.exit !== 0) continue
      // DocFlow also names a prompt registry entry the corpus does not ship
      expect({ file, codes: run.codes?.filter((c) => c !== "missing-prompt") }).toEqual({ file, codes: ["unknown-agent"] })
    }
  })
})
