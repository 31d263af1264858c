import { beforeAll, describe, expect, it } from "vitest"
import { type CliResult, agentmap, json } from "../support/cli.js"
import { BROKEN, SUPPORTING, WARNINGS_ONLY } from "../support/brokenWorkflows.js"
import { workspace } from "../support/workspace.js"

interface Positioned {
  readonly file: string
  readonly line: number
  readonly column: number
  readonly severity: string
  readonly code: string
  readonly message: string
}

const texts = Object.fromEntries(Object.entries(BROKEN).map(([name, b]) => [name, b.text]))
const cwd = workspace({ ...texts, ...SUPPORTING, ...WARNINGS_ONLY })

const diagnostics = (r: CliResult) => (json(r)["diagnostics"] ?? []) as ReadonlyArray<Positioned>
const errors = (ds: ReadonlyArray<Positioned>) => ds.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)

// a CI gate built on `validate` must stop exactly the files `run` would refuse
describe("validate and run apply one set of rules", () => {
  const broken = Object.keys(BROKEN)
  // every broken file in one validate (as a CI gate runs it), then each file alone through run
  let together: CliResult
  beforeAll(() => {
    together = agentmap(["validate", ...broken, "--json"], { cwd })
  })

  it("validate exits 2 over the broken files, each reported invalid", () => {
    expect(together.status).toBe(2)
    expect(json(together)["valid"]).toBe(false)
    expect((json(together)["files"] as Array<{ file: string; valid: boolean }>).map((f) => [f.file, f.valid])).toEqual(broken.map((f) => [f, false]))
  })

  it.each(broken)("%s: validate reports it invalid and run refuses it with exit 2, with the same diagnostics", (file) => {
    const validated = (json(together)["files"] as Array<{ diagnostics: ReadonlyArray<Positioned> }>)[broken.indexOf(file)]!
    const ran = agentmap(["run", file, "--json"], { cwd })
    expect(ran.status).toBe(2)
    expect(json(ran)["error"]).toBe("InvalidWorkflow")
    expect(errors(validated.diagnostics)).toEqual(BROKEN[file]!.errors)
    expect(diagnostics(ran)).toEqual(validated.diagnostics)
  })

  it.each(Object.keys(WARNINGS_ONLY))("%s: validate calls it valid and run runs it, both showing the same warnings", (file) => {
    const validated = agentmap(["validate", file], { cwd })
    const ran = agentmap(["run", file, "--json"], { cwd })
    expect(validated.status).toBe(0)
    expect(validated.stdout).toContain(`✔ ${file} is valid`)
    expect(ran.status).toBe(0)
    expect(json(ran)["status"]).toBe("completed")
    const shown = validated.stdout.split("\n").filter((l) => l.startsWith(`${file}:`))
    expect(shown.length).toBeGreaterThan(0)
    expect(ran.stderr.split("\n").filter((l) => l.startsWith(`${file}:`))).toEqual(shown)
  })
})
