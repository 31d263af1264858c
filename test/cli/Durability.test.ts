import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { chainFiles, heldRun } from "../support/chain.js"
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe("a run killed with SIGKILL", () => {
  it("loses at most the node in flight: after the lease expires, resume finishes it and every node ran once", async () => {
    const length = 60
    const holdAt = 5 + Math.floor(Math.random() * (length - 10))
    const dir = workspace(chainFiles(length, "persistence:\n  lease_seconds: 3\n"))
    const running = await heldRun(["run", "chain.csv", "--thread-id", "crash-1", "--state", JSON.stringify({ hold_at: `N${holdAt}` }), "--json"], dir)
    const busy = agentmap(["resume", "crash-1", "--json"], { cwd: dir })
    expect(busy.status).toBe(2)
    expect(json(busy)).toMatchObject({ error: "ThreadBusy" })
    expect(await running.kill()).toBe("SIGKILL")
    const killedAt = Date.now()
    const logged = () => fs.readFileSync(path.join(dir, "log.txt"), "utf8").trim().split("\n")
    expect(logged()).toEqual(Array.from({ length: holdAt }, (_, i) => `N${i}`))

    await sleep(killedAt + 3100 - Date.now())
    const resumed = agentmap(["resume", "crash-1", "--json"], { cwd: dir })
    expect(resumed.status).toBe(0)
    const result = json(resumed) as { status: string; execution_summary: { node_executions: Array<{ node: string }> } }
    expect(result.status).toBe("completed")
    expect(logged()).toEqual(Array.from({ length }, (_, i) => `N${i}`))
    expect(result.execution_summary.node_executions.map((e) => e.node)).toEqual(Array.from({ length }, (_, i) => `N${i}`))
  })
})

type Result = { status: string; outputs: Record<string, unknown>; execution_summary: { node_executions: Array<{ node: string }> } }
const executed = (r: ReturnType<typeof agentmap>) => (json(r) as Result).execution_summary.node_executions.map((e) => e.node)

describe("a run killed before its first checkpoint", () => {
  // durability: exit saves nothing before the end: the store holds the thread and no checkpoint, as after a kill
  // in the first milliseconds of any run (the crash sweep kills real runs there)
  it("starts again from the state it was given: busy while its process lives, then, its lease run out, resume runs it to the end once", async () => {
    const dir = workspace(chainFiles(4, "persistence:\n  lease_seconds: 3\nexecution:\n  durability: exit\n"))
    const state = JSON.stringify({ who: "Ada", hold_at: "N2" })
    const first = await heldRun(["run", "chain.csv", "--thread-id", "early", "--state", state, "--json"], dir)
    const busy = agentmap(["resume", "early", "--json"], { cwd: dir })
    expect([busy.status, json(busy)["error"]]).toEqual([2, "ThreadBusy"])
    expect(await first.kill()).toBe("SIGKILL")
    const killedAt = Date.now()
    const logged = () => fs.readFileSync(path.join(dir, "log.txt"), "utf8").trim().split("\n")
    expect(logged()).toEqual(["N0", "N1"])

    await sleep(killedAt + 3100 - Date.now())
    const shown = agentmap(["threads", "show", "early"], { cwd: dir }).stdout
    expect(shown).toContain("status    running")
    expect(shown).toContain("resume    agentmap resume early   (interrupted: the process running it stopped")
    const resumed = agentmap(["resume", "early", "--json"], { cwd: dir })
    expect([resumed.status, (json(resumed) as Result).status, (json(resumed) as Result).outputs["who"]]).toEqual([0, "completed", "Ada"])
    expect(executed(resumed)).toEqual(["N0", "N1", "N2", "N3"])
    // nothing of the first attempt was saved, so its two nodes ran again
    expect(logged()).toEqual(["N0", "N1", "N0", "N1", "N2", "N3"])
    const again = agentmap(["resume", "early", "--json"], { cwd: dir })
    expect([again.status, json(again)["error"]]).toEqual([2, "ThreadFinished"])
  })
})

describe("run --thread-id of a run whose process died", () => {
  it("takes the thread over once its lease has run out, finishing it from its last checkpoint; another state under that id is refused", async () => {
    const dir = workspace(chainFiles(4, "persistence:\n  lease_seconds: 3\n"))
    const state = JSON.stringify({ hold_at: "N2" })
    const args = (s: string) => ["run", "chain.csv", "--thread-id", "order-42", "--state", s, "--json"]
    const run = (s: string) => agentmap(args(s), { cwd: dir })
    const first = await heldRun(args(state), dir)
    const busy = run(state)
    expect([busy.status, json(busy)["error"]]).toEqual([2, "ThreadBusy"])
    expect(json(busy)["message"]).toContain("once its lease has run out")
    expect(await first.kill()).toBe("SIGKILL")
    const killedAt = Date.now()

    await sleep(killedAt + 3100 - Date.now())
    const other = run(JSON.stringify({ hold_at: "N3" }))
    expect([other.status, json(other)["error"], json(other)["message"]]).toEqual([2, "ThreadExists", expect.stringContaining("already taken by another run")])
    const retried = run(state)
    expect([retried.status, (json(retried) as Result).status]).toEqual([0, "completed"])
    expect(executed(retried)).toEqual(["N0", "N1", "N2", "N3"])
    expect(fs.readFileSync(path.join(dir, "log.txt"), "utf8").trim().split("\n")).toEqual(["N0", "N1", "N2", "N3"])
    const done = run(state)
    expect([done.status, json(done)["error"], json(done)["message"]]).toEqual([2, "ThreadExists", expect.stringContaining("already ran this workflow and completed")])
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
