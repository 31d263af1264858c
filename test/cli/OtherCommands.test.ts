import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt"

describe("agentmap validate", () => {
  const files = {
    "good.csv": `${HEADER}\nG,A,echo,B,,,,,\nG,B,echo,,,,,,\nG,C,echo,,,,,,\n`,
    "typo.csv": `${HEADER}\nG,A,ehco,B,,,,,\nG,B,echo,,,,,,\n`,
    "bad.csv": `${HEADER}\nG,A,echo,Bx,,,,,\nG,B,echo,,,,,,\nG,B,echo,,,,,,\n`
  }

  it("prints FILE:LINE:COL: severity: message lines and exits 0 when there are only warnings", () => {
    const r = agentmap(["validate", "good.csv"], { cwd: workspace(files) })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("good.csv:4:2: warning: node 'C' is isolated")
    expect(r.stdout).toContain("✔ good.csv is valid (1 graph: G; 1 warning)")
  })

  it("calls an unknown agent type an error, as run does, with a suggestion and the built-in types", () => {
    const r = agentmap(["validate", "typo.csv"], { cwd: workspace(files) })
    expect(r.status).toBe(2)
    expect(r.stdout).toContain(
      "typo.csv:2:3: error: unknown agent type 'ehco' for node 'A' (did you mean 'echo'?): built-in types are default, echo, success, failure, branching,"
    )
    expect(r.stdout).toContain("✘ typo.csv: 1 error, 0 warnings")
    expect(r.stdout).not.toContain("is valid")
  })

  it("reports every error at once and exits 2", () => {
    const r = agentmap(["validate", "bad.csv"], { cwd: workspace(files) })
    expect(r.status).toBe(2)
    const diagnostics = r.stdout.split("\n").filter((l) => l.startsWith("bad.csv:"))
    expect(diagnostics).toEqual([
      "bad.csv:2:4: error: Edge of 'A' routes to 'Bx', which is not a node of graph 'G' (did you mean 'B'?)",
      "bad.csv:3:2: error: node 'B' is defined twice in graph 'G' (lines 3 and 4)",
      "bad.csv:3:2: warning: node 'B' is isolated: no node routes to it and it routes nowhere, so it never runs",
      "bad.csv:4:2: error: node 'B' is defined twice in graph 'G' (lines 3 and 4)"
    ])
  })

  it("gives { valid, diagnostics } with --json, accepts --csv and --graph", () => {
    const dir = workspace(files)
    const r = agentmap(["validate", "--csv", "bad.csv", "--json"], { cwd: dir })
    expect(r.status).toBe(2)
    const doc = json(r)
    expect(doc["valid"]).toBe(false)
    expect((doc["diagnostics"] as Array<Record<string, unknown>>)[0]).toEqual({
      file: "bad.csv",
      line: 2,
      column: 4,
      severity: "error",
      code: "unknown-target",
      message: expect.stringContaining("did you mean 'B'")
    })
    expect(agentmap(["validate", "good.csv", "--graph", "Nope"], { cwd: dir }).status).toBe(3)
    expect(agentmap(["validate", "missing.csv"], { cwd: dir }).status).toBe(3)
  })
})

describe("agentmap init", () => {
  it("creates a config and a hello world workflow that runs, and refuses to overwrite without --force", () => {
    const dir = workspace({})
    const first = agentmap(["init"], { cwd: dir })
    expect(first.status).toBe(0)
    expect(fs.existsSync(path.join(dir, "agentmap_config.yaml"))).toBe(true)
    const ran = agentmap(["run", "workflows/hello_world.csv", "--state", '{"name":"Ada"}', "--json"], { cwd: dir })
    expect(ran.status).toBe(0)
    expect(json(ran)["outputs"]).toMatchObject({ greeting: "Hello Ada, welcome to AgentMap!" })
    expect(agentmap(["run", "hello_world", "--state", '{"name":"Bo"}', "--json"], { cwd: dir }).status).toBe(0)

    fs.writeFileSync(path.join(dir, "agentmap_config.yaml"), "# mine\n")
    const again = agentmap(["init"], { cwd: dir })
    expect(again.status).toBe(2)
    expect(again.stderr).toContain("already exist")
    expect(fs.readFileSync(path.join(dir, "agentmap_config.yaml"), "utf8")).toBe("# mine\n")
    expect(agentmap(["init-config", "--force"], { cwd: dir }).status).toBe(0)
    expect(fs.readFileSync(path.join(dir, "agentmap_config.yaml"), "utf8")).toContain("paths:")
  })
})

describe("agentmap basics", () => {
  it("prints its version and help for every command", () => {
    const dir = workspace({})
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { version: string }
    expect(agentmap(["--version"], { cwd: dir }).stdout.trim()).toBe(pkg.version)
    for (const command of ["run", "validate", "init"]) {
      const r = agentmap([command, "--help"], { cwd: dir })
      expect(r.status).toBe(0)
      expect(r.stdout).toContain(command)
    }
  })

  it("refuses a config with errors (exit 2, naming the key) and warns about unknown keys", () => {
    const dir = workspace({ "flow.csv": `${HEADER}\nG,A,echo,,,,,,\n`, "agentmap_config.yaml": "execution:\n  max_steps: -3\nextra_section: 1\n" })
    const r = agentmap(["run", "flow.csv"], { cwd: dir })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("agentmap_config.yaml:2:14: error: execution.max_steps: expected an integer >= 1, got -3")
    expect(r.stderr).toContain("agentmap_config.yaml:3:1: warning: unknown key 'extra_section' is ignored")
    const env = agentmap(["run", "flow.csv", "--json"], { cwd: dir, env: { AGENTMAP_EXECUTION__MAX_STEPS: "20" } })
    expect(env.status).toBe(2)
    expect(agentmap(["run", "flow.csv", "--config", "nope.yaml"], { cwd: dir }).status).toBe(3)
  })
})
