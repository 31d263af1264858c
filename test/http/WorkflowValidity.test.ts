import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BROKEN, SUPPORTING, WARNINGS_ONLY } from "../support/brokenWorkflows.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

interface Positioned {
  readonly line: number
  readonly column: number
  readonly severity: string
  readonly code: string
}

const inRepository = (files: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(files).map(([name, text]) => [`workflows/${name}`, text]))
const texts = Object.fromEntries(Object.entries(BROKEN).map(([name, b]) => [name, b.text]))
const nameOf = (file: string) => file.replace(/\.csv$/, "")
const errors = (body: Record<string, unknown>) =>
  ((body["diagnostics"] ?? []) as ReadonlyArray<Positioned>).filter((d) => d.severity === "error").map((d) => `${d.line}:${d.column} ${d.code}`)

let server: RunningServer
let key: string

beforeAll(async () => {
  const dir = workspace(inRepository({ ...texts, ...SUPPORTING, ...WARNINGS_ONLY }))
  key = createKey(dir, "runner", "read,execute")
  server = await startServer(dir)
})
afterAll(async () => {
  await server?.stop()
})

// GET /workflows is what a dashboard or a deploy check reads; it must not promise a run /execute refuses
describe("HTTP: what the workflow routes call valid is what /execute runs", () => {
  it("lists as invalid, and describes with the same errors, every workflow /execute answers 422", async () => {
    const list = await call(`${server.url}/workflows`, { key })
    const valid = new Map(((list.body["workflows"] ?? []) as ReadonlyArray<{ name: string; valid: boolean }>).map((w) => [w.name, w.valid]))
    for (const file of Object.keys(BROKEN)) {
      const executed = await call(`${server.url}/execute/${nameOf(file)}`, { method: "POST", body: "{}", key })
      const described = await call(`${server.url}/workflows/${nameOf(file)}`, { key })
      const expected = BROKEN[file]!.errors.map((e) => e.slice(e.indexOf(":") + 1))
      expect({ file, status: executed.status, error: executed.body["error"], errors: errors(executed.body) }).toEqual({ file, status: 422, error: "InvalidWorkflow", errors: expected })
      expect({ file, listed: valid.get(nameOf(file)), described: errors(described.body) }).toEqual({ file, listed: false, described: expected })
    }
  })

  it("lists as valid, and runs, workflows with warnings only", async () => {
    const list = await call(`${server.url}/workflows`, { key })
    const valid = new Map(((list.body["workflows"] ?? []) as ReadonlyArray<{ name: string; valid: boolean }>).map((w) => [w.name, w.valid]))
    for (const file of Object.keys(WARNINGS_ONLY)) {
      const executed = await call(`${server.url}/execute/${nameOf(file)}`, { method: "POST", body: "{}", key })
      expect({ file, listed: valid.get(nameOf(file)), status: executed.status, run: executed.body["status"] }).toEqual({ file, listed: true, status: 200, run: "completed" })
    }
  })
})
