import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { agentmap, agentmapAsync, type CliResult, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt"

const project = () => {
  const dir = workspace({
    "ok.csv": `${HEADER}\nG,A,echo,,out,,hello\n`,
    "wait.csv": `${HEADER}\nW,Ask,suspend,,answer,,waiting\n`,
    "bad.csv": `${HEADER}\nG,A,echo,,out,Nowhere,x\n`,
    "broken.yaml": "paths: [unclosed\n",
    "workflows/.keep": ""
  })
  const thread = (args: ReadonlyArray<string>) => json(agentmap(["run", ...args, "--json"], { cwd: dir }))["thread_id"] as string
  return { dir, suspended: thread(["wait.csv"]), finished: thread(["ok.csv", "--thread-id", "taken"]) }
}

/** The text after `error: ` (or `internal error: `) on stderr. */
const message = (r: CliResult) => /^(?:internal )?error: (.*)$/m.exec(r.stderr)?.[1]?.trim() ?? ""

describe("every error a command ends with says what went wrong", () => {
  const { dir, suspended, finished } = project()
  fs.writeFileSync(path.join(dir, "agentmap_config.yaml"), "auth:\n  enabled: true\n")
  agentmap(["auth", "generate-key", "--name", "ci"], { cwd: dir })
  const unreachable = { AGENTMAP_PERSISTENCE__BACKEND: "postgres", AGENTMAP_POSTGRES_URL: "postgresql://agentmap@127.0.0.1:1/none", AGENTMAP_PERSISTENCE__CONNECT_TIMEOUT_SECONDS: "2" }

  interface Case {
    readonly what: string
    readonly args: ReadonlyArray<string>
    readonly code: number
    readonly env?: Record<string, string>
  }
  const cases: ReadonlyArray<Case> = [
    { what: "a file that is not there", args: ["run", "missing.csv"], code: 3 },
    { what: "state that is not JSON", args: ["run", "ok.csv", "--state", "{bad"], code: 2 },
    { what: "state that is not an object", args: ["run", "ok.csv", "--state", "[1]"], code: 2 },
    { what: "an invalid workflow", args: ["run", "bad.csv"], code: 2 },
    { what: "a graph the file does not have", args: ["run", "ok.csv", "--graph", "Nope"], code: 3 },
    { what: "no workflow at all", args: ["run"], code: 2 },
    { what: "a name leaving the repository", args: ["run", "../ok"], code: 2 },
    { what: "a thread id in use", args: ["run", "ok.csv", "--thread-id", "taken"], code: 2 },
    { what: "a store that cannot be reached", args: ["run", "ok.csv"], code: 1, env: unreachable },
    { what: "a configuration file that is not there", args: ["run", "ok.csv", "--config", "nope.yaml"], code: 3 },
    { what: "a configuration that is not YAML", args: ["run", "ok.csv", "--config", "broken.yaml"], code: 2 },
    { what: "resume without a thread", args: ["resume"], code: 2 },
    { what: "an unknown thread", args: ["resume", "no-such-thread"], code: 3 },
    { what: "an unknown action", args: ["resume", suspended, "bogus"], code: 2 },
    { what: "data that is not JSON", args: ["resume", suspended, "--data", "{bad"], code: 2 },
    { what: "a data file that cannot be read", args: ["resume", suspended, "--data-file", "none.json"], code: 2 },
    { what: "a finished thread", args: ["resume", finished], code: 2 },
    { what: "show an unknown thread", args: ["threads", "show", "nope"], code: 3 },
    { what: "an age that is not one", args: ["threads", "prune", "--older-than", "soon"], code: 2 },
    { what: "prune without an age", args: ["threads", "prune"], code: 2 },
    { what: "a key without a name", args: ["auth", "generate-key"], code: 2 },
    { what: "a key name in use", args: ["auth", "generate-key", "--name", "ci"], code: 2 },
    { what: "revoking an unknown key", args: ["auth", "revoke-key", "nope"], code: 3 },
    { what: "init over existing files", args: ["init"], code: 2 },
    { what: "validating a file that is not there", args: ["validate", "missing.csv"], code: 3 },
    { what: "serving with nobody able to authenticate", args: ["serve", "--port", "0"], code: 2, env: { AGENTMAP_PERSISTENCE__SQLITE_PATH: "empty.db" } }
  ]

  it.each(cases)("$what: the exit code, and a message on stderr", async ({ args, code, env }) => {
    if (args[0] === "init") fs.writeFileSync(path.join(dir, "workflows", "hello_world.csv"), `${HEADER}\nG,A,echo,,out,,hello\n`)
    const r = await agentmapAsync(args, { cwd: dir, ...(env !== undefined ? { env } : {}) })
    expect(r.status).toBe(code)
    expect(message(r).length).toBeGreaterThan(10)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it.each(cases.filter((c) => !["serve", "init"].includes(c.args[0]!)))("$what, with --json: one document {error, message} on stdout", async ({ args, code, env }) => {
    const r = await agentmapAsync([...args, "--json"], { cwd: dir, ...(env !== undefined ? { env } : {}) })
    expect(r.status).toBe(code)
    const doc = json(r) as { error: string; message: string }
    expect(doc.error).toMatch(/^[A-Z]\w+$/)
    expect(doc.message.trim().length).toBeGreaterThan(10)
  })
})

describe("agentmap serve on an address in use", () => {
  it("says which address is taken and what to do, and exits 2", async () => {
    const holder = net.createServer()
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve))
    const port = (holder.address() as net.AddressInfo).port
    try {
      const r = await agentmapAsync(["serve", "--port", String(port)], { cwd: workspace({}), env: { AGENTMAP_AUTH__ENABLED: "false" } })
      expect(r.status).toBe(2)
      expect(message(r)).toBe(
        `cannot listen on 127.0.0.1:${port}: the address is already in use (another agentmap serve, or another program, holds port ${port}); pick another port with --port N (or http.port), or stop the process that holds it (e.g. find it with: lsof -i :${port})`
      )
    } finally {
      holder.close()
    }
  })
})
