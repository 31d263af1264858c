import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { BIN, agentmap, json } from "../support/cli.js"
import { dropSchema, freshSchema, postgresConfig } from "../support/postgres.js"
import { workspace } from "../support/workspace.js"

/** Starts `agentmap ...` without waiting: a real second OS process. */
const start = (args: ReadonlyArray<string>, cwd: string) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env["PATH"] ?? "", HOME: cwd, NO_COLOR: "1" } })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

/**
 * A 60-node chain. Every node's routing function appends the node's name to log.txt; the one
 * named in kill-at.txt SIGKILLs its own process the first time it runs (before it logs).
 */
const chainFiles = (length: number, config: string) => {
  const rows = ["GraphName,Node,AgentType,Output_Field,Success_Next,Failure_Next,Prompt"]
  for (let i = 0; i < length; i++) rows.push(`Chain,N${i},default,current,func:step,${i < length - 1 ? `N${i + 1}` : ""},N${i}`)
  return {
    "chain.csv": `${rows.join("\n")}\n`,
    "agentmap_config.yaml": config,
    "functions/step.mjs": `
import * as fs from "node:fs"
export const step = (state, _success, next) => {
  const node = /\\[(N\\d+)\\]/.exec(state.current)[1]
  const killAt = fs.existsSync("kill-at.txt") ? fs.readFileSync("kill-at.txt", "utf8").trim() : ""
  if (node === killAt && !fs.existsSync("killed.marker")) {
    fs.writeFileSync("killed.marker", node)
    process.kill(process.pid, "SIGKILL")
  }
  fs.appendFileSync("log.txt", node + "\\n")
  return next
}
`
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe("a run killed with SIGKILL", () => {
  it("loses at most the node in flight: after the lease expires, resume finishes it and every node ran once", async () => {
    const length = 60
    const killAt = 5 + Math.floor(Math.random() * (length - 10))
    const dir = workspace({ ...chainFiles(length, "persistence:\n  lease_seconds: 2\n"), "kill-at.txt": `N${killAt}` })
    const killed = agentmap(["run", "chain.csv", "--thread-id", "crash-1", "--json"], { cwd: dir })
    expect(killed.status).toBeNull() // died of SIGKILL, printed nothing
    const logged = () => fs.readFileSync(path.join(dir, "log.txt"), "utf8").trim().split("\n")
    expect(logged()).toEqual(Array.from({ length: killAt }, (_, i) => `N${i}`))

    const busy = agentmap(["resume", "crash-1", "--json"], { cwd: dir })
    expect(busy.status).toBe(2)
    expect(json(busy)).toMatchObject({ error: "ThreadBusy" })

    await sleep(2200)
    const resumed = agentmap(["resume", "crash-1", "--json"], { cwd: dir })
    expect(resumed.status).toBe(0)
    const result = json(resumed) as { status: string; execution_summary: { node_executions: Array<{ node: string }> } }
    expect(result.status).toBe("completed")
    expect(logged()).toEqual(Array.from({ length }, (_, i) => `N${i}`))
    expect(result.execution_summary.node_executions.map((e) => e.node)).toEqual(Array.from({ length }, (_, i) => `N${i}`))
  })
})

const postgresSchema = freshSchema("race")
afterAll(() => dropSchema(postgresSchema))

describe.each([
  { store: "sqlite", config: "" },
  { store: "postgres", config: postgresConfig(postgresSchema) }
])("two processes resuming one thread on $store", ({ config }) => {
  it("lets exactly one resume run; the other is refused and nothing runs twice", async () => {
    const dir = workspace({
      "agentmap_config.yaml": config,
      "functions/slow.mjs": `
import * as fs from "node:fs"
export const slow = (_state, next) => {
  fs.appendFileSync("after.txt", "ran\\n")
  const until = Date.now() + 1500
  while (Date.now() < until) {}
  return next
}
`,
      "race.csv": [
        "GraphName,Node,AgentType,Output_Field,Success_Next,Failure_Next,Prompt",
        "R,Wait,suspend,answer,Work,,",
        "R,Work,default,work,func:slow,Done,",
        "R,Done,default,done,,,",
        ""
      ].join("\n")
    })
    const first = agentmap(["run", "race.csv", "--json"], { cwd: dir })
    expect(first.status).toBe(0)
    const threadId = (json(first) as { thread_id: string; status: string }).thread_id
    const [a, b] = await Promise.all([start(["resume", threadId, "approve", "--json"], dir), start(["resume", threadId, "approve", "--json"], dir)])
    const outcomes = [a, b].map((r) => ({ status: r.status, doc: JSON.parse(r.stdout) as Record<string, unknown> }))
    const winners = outcomes.filter((o) => o.status === 0)
    const losers = outcomes.filter((o) => o.status !== 0)
    expect(winners).toHaveLength(1)
    expect(winners[0]!.doc["status"]).toBe("completed")
    expect(losers).toHaveLength(1)
    expect(losers[0]).toMatchObject({ status: 2, doc: { error: expect.stringMatching(/ThreadBusy|ThreadFinished/) } })
    expect(fs.readFileSync(path.join(dir, "after.txt"), "utf8")).toBe("ran\n")
  })
})
