import * as path from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { agentmap, type CliResult, json } from "../support/cli.js"
import { CORPUS, CORPUS_FOUND, corpusFiles, corpusWorkspace, TABLE } from "./corpus.js"

interface FileReport {
  readonly valid: boolean
  readonly file: string
  readonly graphs: Array<string>
  readonly diagnostics: Array<{ line: number; column: number; severity: string; code: string; file: string }>
}

const files = corpusFiles()

describe.skipIf(!CORPUS_FOUND)("compatibility corpus: agentmap validate", () => {
  // the whole corpus in one command, as a CI gate would run it (`agentmap validate workflows/*.csv`)
  let r: CliResult
  let reports: Array<FileReport>
  beforeAll(() => {
    r = agentmap(["validate", ...files.map((f) => path.join(CORPUS, f)), "--json"], { cwd: corpusWorkspace(agentmap) })
    reports = (json(r)["files"] as Array<FileReport>) ?? []
  })

  it("has a pinned expectation for every corpus file, and none for files that are gone", () => {
    expect(files.length).toBeGreaterThan(40)
    expect(Object.keys(TABLE).sort()).toEqual([...files].sort())
  })

  it("reports every file given, in order, exits 2 because some are invalid, and never prints a stack trace", () => {
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(reports.map((report) => report.file)).toEqual(files.map((f) => path.join(CORPUS, f)))
    expect(r.status).toBe(files.some((f) => TABLE[f]!.validate.exit !== 0) ? 2 : 0)
    expect(json(r)["valid"]).toBe(false)
  })

  it.each(files)("%s validates as pinned, with positioned diagnostics", (file) => {
    const expected = TABLE[file]!.validate
    const report = reports[files.indexOf(file)]!
    expect(report.valid).toBe(expected.exit === 0)
    expect(report.graphs).toEqual(expected.graphs)
    const errors = report.diagnostics.filter((d) => d.severity === "error")
    expect(errors.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(expected.errors)
    for (const d of report.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1)
      expect(d.column).toBeGreaterThanOrEqual(1)
      expect(d.file).toContain(".csv")
    }
  })
})
