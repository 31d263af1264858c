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

  // [what, arguments, exit code, environment]
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>, number, Record<string, string>?]> = [
    ["a file that is not there", ["run", "missing.csv"], 3],
    ["state that is not JSON", ["run", "ok.csv", "--state", "{bad"], 2],
    ["state that is not an object", ["run", "ok.csv", "--state", "[1]"], 2],
    ["an invalid workflow", ["run", "bad.csv"], 2],
    ["a graph the file does not have", ["run", "ok.csv", "--graph", "Nope"], 3],
    ["no workflow at all", ["run"], 2],
    ["a name leaving the repository", ["run", "../ok"], 2],
    ["a thread id in use", ["run", "ok.csv", "--thread-id", "taken"], 2],
    ["a store that cannot be reached", ["run", "ok.csv"], 1, unreachable],
    ["a configuration file that is not there", ["run", "ok.csv", "--config", "nope.yaml"], 3],
    ["a configuration that is not YAML", ["run", "ok.csv", "--config", "broken.yaml"], 2],
    ["resume without a thread", ["resume"], 2],
    ["an unknown thread", ["resume", "no-such-thread"], 3],
    ["an unknown action", ["resume", suspended, "bogus"], 2],
    ["data that is not JSON", ["resume", suspended, "--data", "{bad"], 2],
    ["a data file that cannot be read", ["resume", suspended, "--data-file", "none.json"], 2],
    ["a finished thread", ["resume", finished], 2],
    ["show an unknown thread", ["threads", "show", "nope"], 3],
    ["an age that is not one", ["threads", "prune", "--older-than", "soon"], 2],
    ["prune without an age", ["threads", "prune"], 2],
    ["a key without a name", ["auth", "generate-key"], 2],
    ["a key name in use", ["auth", "generate-key", "--name", "ci"], 2],
    ["revoking an unknown key", ["auth", "revoke-key", "nope"], 3],
    ["init over existing files", ["init"], 2],
    ["validating a file that is not there", ["validate", "missing.csv"], 3],
    ["serving with nobody able to authenticate", ["serve", "--port", "0"], 2, { AGENTMAP_PERSISTENCE__SQLITE_PATH: "empty.db" }]
  ]

  it.each(cases)("%s: the exit code, and a message on stderr", async (_, args, code, env) => {
    if (args[0] === "init") fs.writeFileSync(path.join(dir, "workflows", "hello_world.csv"), `${HEADER}\nG,A,echo,,out,,hello\n`)
    const r = await agentmapAsync(args, { cwd: dir, ...(env !== undefined ? { env } : {}) })
    expect(r.status).toBe(code)
    expect(message(r).length).toBeGreaterThan(10)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it.each(cases.filter(([, args]) => !["serve", "init"].includes(args[0]!)))("%s, with --json: one document {error, message} on stdout", async (_, args, code, env) => {
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
