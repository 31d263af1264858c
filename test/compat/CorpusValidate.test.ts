import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"
import { CORPUS, CORPUS_FOUND, corpusFiles, TABLE } from "./corpus.js"

const files = corpusFiles()
const cwd = workspace({})

describe.skipIf(!CORPUS_FOUND)("compatibility corpus: agentmap validate", () => {
  it("has a pinned expectation for every corpus file, and none for files that are gone", () => {
    expect(files.length).toBeGreaterThan(40)
    expect(Object.keys(TABLE).sort()).toEqual([...files].sort())
  })

  it.each(files)("%s validates as pinned, with positioned diagnostics and never a stack trace", (file) => {
    const expected = TABLE[file]!.validate
    const r = agentmap(["validate", path.join(CORPUS, file), "--json"], { cwd })
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect([0, 2]).toContain(r.status)
    const doc = json(r) as { valid: boolean; graphs: Array<string>; diagnostics: Array<{ line: number; column: number; severity: string; code: string; file: string }> }
    expect(r.status).toBe(expected.exit)
    expect(doc.valid).toBe(expected.exit === 0)
    expect(doc.graphs).toEqual(expected.graphs)
    const errors = doc.diagnostics.filter((d) => d.severity === "error")
    expect(errors.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(expected.errors)
    for (const d of doc.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1)
      expect(d.column).toBeGreaterThanOrEqual(1)
      expect(d.file).toContain(".csv")
    }
  })
})
