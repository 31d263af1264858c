import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt"
const files = {
  "ok.csv": `${HEADER}\nG,A,echo,,out,,hello\n`,
  "also.csv": `${HEADER}\nH,B,echo,,out,,hi\n`,
  "typo.csv": `${HEADER}\nG,A,ehco,,out,,hello\n`,
  // the node raises (no such file): its failure is logged at info
  "fails.csv": `${HEADER}\nG,R,file_reader,,out,,missing.txt\n`,
  // Main runs; Broken (a second graph of the same file) names a node that does not exist
  "two.csv": `${HEADER}\nMain,A,echo,,out,,hello\nBroken,X,echo,,out,Nowhere,x\n`
}

/** Every command and group, as a user reaches them. */
const COMMANDS = [
  ["run"],
  ["resume"],
  ["validate"],
  ["threads", "list"],
  ["threads", "show"],
  ["threads", "prune"],
  ["serve"],
  ["health"],
  ["auth", "generate-key"],
  ["auth", "list-keys"],
  ["auth", "revoke-key"],
  ["init"],
  ["init-config"]
]

describe("agentmap --help", () => {
  const cwd = workspace({})

  it("lists every command with what it does, and global options with their defaults", () => {
    const r = agentmap(["--help"], { cwd })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("Usage: agentmap COMMAND [options]")
    for (const name of ["run", "resume", "validate", "threads", "serve", "auth", "init"]) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"))
    expect(r.stdout).toMatch(/--log-level LEVEL +how much to log/)
    expect(r.stdout).toContain("--version")
  })

  it.each(COMMANDS.map((path) => [path.join(" "), path] as const))("agentmap %s --help: usage as typed, a real description for every option, nothing generic", (_, path) => {
    const r = agentmap([...path, "--help"], { cwd })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(`Usage: agentmap ${path.join(" ")}`)
    expect(r.stdout).not.toMatch(/A user-defined piece of text|A true or false value|This setting is optional|^\$ /m)
    const options = r.stdout.split("\n").filter((l) => /^ {2}(-\w, |    )--[a-z-]+/.test(l))
    expect(options.length).toBeGreaterThanOrEqual(3)
    // each option line carries its description beside it (or, for a long name, on the next line)
    for (const line of options) expect(line.replace(/^ {2}(-\w, |    )--[a-z-]+( [A-Z|a-z]+)?/, "").trim().length + 1).toBeGreaterThan(1)
    expect(r.stdout).toContain("--config FILE")
  })

  it("shows defaults and examples where they help", () => {
    const run = agentmap(["run", "--help"], { cwd }).stdout
    expect(run).toContain(`(default: {}) e.g. --state '{"name": "Ada"}'`)
    expect(run).toContain("Exit codes: 0 completed or suspended, 1 failed, 2")
    expect(run).toMatch(/Examples:\n {2}agentmap run /)
    expect(agentmap(["serve", "--help"], { cwd }).stdout).toMatch(/--port PORT +the port to listen on \(0 picks a free one\) \(default: http\.port, 8000\)/)
    expect(agentmap(["help", "threads", "prune"], { cwd }).stdout).toContain("e.g. --older-than 30d")
  })

  it("prints a group's own help and exits 2 when its command is missing", () => {
    for (const group of ["threads", "auth"]) {
      const r = agentmap([group], { cwd })
      expect(r.status).toBe(2)
      expect(r.stderr).toContain(`error: 'agentmap ${group}' needs a command`)
      expect(r.stderr).toContain(`Usage: agentmap ${group} COMMAND [options]`)
      expect(r.stderr).not.toContain("init-config")
    }
    const bare = agentmap([], { cwd })
    expect(bare.status).toBe(2)
    expect(bare.stderr).toContain("Usage: agentmap COMMAND")
  })
})

describe("reading the command line", () => {
  const cwd = workspace(files)

  it("takes global options anywhere on the line", () => {
    for (const args of [
      ["--log-level", "debug", "validate", "ok.csv"],
      ["validate", "--log-level", "debug", "ok.csv"],
      ["validate", "ok.csv", "--log-level=debug"],
      ["-c", "none.yaml", "validate", "ok.csv"]
    ]) {
      const r = agentmap(args, { cwd })
      expect([args.join(" "), r.status]).toEqual([args.join(" "), args[0] === "-c" ? 3 : 0])
    }
    // --log-level reaches the logger: info shows a node's failure that the default level (warning) keeps quiet
    expect(agentmap(["--log-level", "info", "run", "fails.csv"], { cwd }).stderr).toMatch(/Z INFO {2}.*missing\.txt/)
    expect(agentmap(["run", "fails.csv", "--log-level", "info"], { cwd }).stderr).toMatch(/Z INFO {2}.*missing\.txt/)
    expect(agentmap(["run", "fails.csv"], { cwd }).stderr).not.toMatch(/Z INFO {2}/)
  })

  it("starts serve with --log-level after its own options", async () => {
    const server = await startServer(cwd, ["--log-level", "debug"], { AGENTMAP_AUTH__ENABLED: "false" })
    expect((await fetch(`${server.url}/health`)).status).toBe(200)
    expect(await server.stop()).toBe(0)
  })

  it("names what is wrong on the line: unknown command or option (with did-you-mean), a missing or bad value", () => {
    const cases: Array<[ReadonlyArray<string>, string]> = [
      [["rnu", "ok.csv"], "unknown command 'rnu' (did you mean 'run'?)"],
      [["run", "ok.csv", "--stat", "{}"], "unknown option '--stat' for 'agentmap run' (did you mean '--state'?)"],
      [["run", "ok.csv", "--state"], `--state needs a value, e.g. --state '{"name": "Ada"}'`],
      [["run", "ok.csv", "--json=yes"], "--json takes no value"],
      [["run", "ok.csv", "--graph", "G", "--graph", "G"], "--graph is given twice"],
      [["serve", "--port", "eighty"], "--port must be a whole number of at least 0, got 'eighty'"],
      [["threads", "list", "--status", "paused"], "--status must be one of running, suspended, completed, failed, got 'paused'"],
      [["threads", "show"], "missing THREAD: the thread id"],
      [["resume", "t", "approve", "extra"], "unexpected argument 'extra'"],
      [["--log-level", "loud", "validate", "ok.csv"], "--log-level must be one of trace, debug, info, warning, error, none"]
    ]
    for (const [args, message] of cases) {
      const r = agentmap(args, { cwd })
      expect([args.join(" "), r.status]).toEqual([args.join(" "), 2])
      expect(r.stderr).toContain(`error: ${message}`)
      expect(r.stdout).toBe("")
    }
    const j = agentmap(["run", "ok.csv", "--json", "--stat", "{}"], { cwd })
    expect([j.status, json(j)]).toEqual([2, { error: "UsageError", message: "unknown option '--stat' for 'agentmap run' (did you mean '--state'?)" }])
  })

  it("names the replacement of the Python AgentMap's commands", () => {
    const r = agentmap(["validate-csv", "--csv", "ok.csv"], { cwd })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("here it is: agentmap validate FILE")
    expect(agentmap(["inspect-graph"], { cwd }).stderr).toContain("here it is: agentmap inspect WORKFLOW")
    expect(agentmap(["compile"], { cwd }).stderr).toContain("no counterpart here")
  })
})

describe("validate several files, and run --validate-csv", () => {
  const cwd = workspace(files)

  it("validates every file given (the shell expands workflows/*.csv), reports each, exits 2 if any is invalid", () => {
    const r = agentmap(["validate", "--csv", "ok.csv", "also.csv", "typo.csv"], { cwd })
    expect(r.status).toBe(2)
    expect(r.stdout).toContain("✔ ok.csv is valid")
    expect(r.stdout).toContain("✔ also.csv is valid")
    expect(r.stdout).toContain("typo.csv:2:3: error: unknown agent type 'ehco' for node 'A' (did you mean 'echo'?)")
    expect(r.stdout).toContain("✘ typo.csv: 1 error")
    expect(r.stdout).toContain("2 of 3 files valid")
    expect(agentmap(["validate", "ok.csv", "also.csv"], { cwd }).status).toBe(0)
    const j = json(agentmap(["validate", "ok.csv", "missing.csv", "--json"], { cwd })) as { valid: boolean; files: Array<{ file: string; valid: boolean; error?: string }> }
    expect(j.valid).toBe(false)
    expect(j.files.map((f) => [f.file, f.valid, f.error])).toEqual([
      ["ok.csv", true, undefined],
      ["missing.csv", false, "WorkflowNotFound"]
    ])
    expect(agentmap(["validate", "ok.csv", "missing.csv"], { cwd }).status).toBe(3)
  })

  it("run --validate-csv checks the whole file first and refuses to run it with an error anywhere (exit 2)", () => {
    expect(agentmap(["run", "two.csv", "--graph", "Main", "--json"], { cwd }).status).toBe(0)
    for (const flag of ["--validate-csv", "--validate"]) {
      const r = agentmap(["run", "two.csv", "--graph", "Main", flag, "--json"], { cwd })
      expect(r.status).toBe(2)
      const doc = json(r) as { error: string; message: string; diagnostics: Array<{ line: number; code: string }> }
      expect([doc.error, doc.message]).toEqual(["InvalidWorkflow", "'two.csv' has errors (--validate-csv); the workflow did not start"])
      expect(doc.diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual(["3 unknown-target"])
    }
    expect(agentmap(["run", "ok.csv", "--validate-csv", "--json"], { cwd }).status).toBe(0)
  })
})
