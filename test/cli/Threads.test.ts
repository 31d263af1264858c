import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"

const CSV = "GraphName,Node,AgentType,Output_Field,Success_Next,Prompt\nS,Wait,suspend,answer,Done,Waiting\nS,Done,default,done,,\n"

describe("agentmap resume and threads", () => {
  it("suspends, lists, shows and resumes a thread through the CLI; --data-file and the legacy flags work", () => {
    const dir = workspace({ "s.csv": CSV, "answer.json": '{"ok": true}' })
    const run = agentmap(["run", "s.csv", "--json"], { cwd: dir })
    expect(run.status).toBe(0)
    const started = json(run) as { thread_id: string; status: string; interrupt: unknown }
    expect(started.status).toBe("suspended")
    expect(started.interrupt).toEqual({ node: "Wait", type: "suspend", payload: { prompt: "Waiting", reason: null, external_ref: null } })

    const listed = json(agentmap(["threads", "list", "--status", "suspended", "--json"], { cwd: dir })) as { threads: Array<Record<string, unknown>> }
    expect(listed.threads).toEqual([expect.objectContaining({ thread_id: started.thread_id, status: "suspended", interrupt: { node: "Wait", type: "suspend" } })])
    const shown = agentmap(["threads", "show", started.thread_id], { cwd: dir })
    expect(shown.stdout).toContain("status    suspended")
    expect(shown.stdout).toContain("waiting   Wait (suspend)")

    const resumed = agentmap(["resume", "--thread-id", started.thread_id, "--action", "submit", "--data-file", "answer.json", "--json"], { cwd: dir })
    expect(resumed.status).toBe(0)
    expect(json(resumed)["outputs"]).toMatchObject({ answer: { action: "submit", data: { ok: true } } })
    expect(agentmap(["threads", "list", "--status", "suspended", "--json"], { cwd: dir }).stdout).toBe('{"threads":[]}\n')
  })

  it("exits 3 for an unknown thread and 2 for a bad action, bad JSON or a finished thread", () => {
    const dir = workspace({ "s.csv": CSV })
    const id = (json(agentmap(["run", "s.csv", "--json"], { cwd: dir })) as { thread_id: string }).thread_id
    expect(agentmap(["resume", "missing-thread"], { cwd: dir }).status).toBe(3)
    const bad = agentmap(["resume", id, "dance", "--json"], { cwd: dir })
    expect([bad.status, json(bad)["error"]]).toEqual([2, "InvalidRequest"])
    expect(agentmap(["resume", id, "--data", "{oops"], { cwd: dir }).status).toBe(2)
    expect(agentmap(["resume", id], { cwd: dir }).status).toBe(0)
    const finished = agentmap(["resume", id, "--json"], { cwd: dir })
    expect([finished.status, json(finished)["error"]]).toEqual([2, "ThreadFinished"])
  })

  it("prunes finished threads older than an age and keeps suspended ones unless asked", () => {
    const dir = workspace({ "s.csv": CSV, "done.csv": "GraphName,Node\nD,Only\n" })
    const waiting = (json(agentmap(["run", "s.csv", "--json"], { cwd: dir })) as { thread_id: string }).thread_id
    const done = (json(agentmap(["run", "done.csv", "--json"], { cwd: dir })) as { thread_id: string }).thread_id
    expect(json(agentmap(["threads", "prune", "--older-than", "30d", "--json"], { cwd: dir }))).toEqual({ removed: [] })
    expect(agentmap(["threads", "prune", "--older-than", "soon"], { cwd: dir }).status).toBe(2)
    const pruned = json(agentmap(["threads", "prune", "--older-than", "0s", "--json"], { cwd: dir }))
    expect(pruned).toEqual({ removed: [done] })
    expect(agentmap(["threads", "show", done], { cwd: dir }).status).toBe(3)
    expect(json(agentmap(["threads", "prune", "--older-than", "0s", "--include-suspended", "--json"], { cwd: dir }))).toEqual({ removed: [waiting] })
  })

  it("stores threads in SQLite under paths.cache by default", () => {
    const dir = workspace({ "s.csv": CSV })
    agentmap(["run", "s.csv"], { cwd: dir })
    expect(fs.existsSync(path.join(dir, ".agentmap", "agentmap.db"))).toBe(true)
  })

  it("fails fast with a clear error naming the store when PostgreSQL cannot be reached", () => {
    const dir = workspace({
      "s.csv": CSV,
      "agentmap_config.yaml": "persistence:\n  backend: postgres\n  postgres_url: postgresql://someone:hunter2@127.0.0.1:1/nowhere\n  connect_timeout_seconds: 2\n"
    })
    const started = Date.now()
    const r = agentmap(["run", "s.csv", "--json"], { cwd: dir })
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(r.status).toBe(1)
    const doc = json(r)
    expect(doc["error"]).toBe("StoreUnavailable")
    expect(doc["message"]).toContain("postgres://someone@127.0.0.1:1/nowhere")
    expect(r.stdout + r.stderr).not.toContain("hunter2")
  })
})
