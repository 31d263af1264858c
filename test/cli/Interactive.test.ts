import { spawnSync } from "node:child_process"
import { describe, expect, it } from "vitest"
import { BIN } from "../support/cli.js"
import { workspace } from "../support/workspace.js"

const csv = "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt\nH,Ask,input,,name,Greet,What is your name?\nH,Greet,echo,name,greeting,,Hello {name}!\n"

describe("input on an interactive terminal", () => {
  it("asks the question on the terminal and uses the answer", () => {
    const dir = workspace({ "hello.csv": csv })
    // `script` gives the command a real pseudo-terminal, so stdin and stderr are TTYs
    const r = spawnSync("script", ["-qec", `${process.execPath} ${BIN} run hello.csv --json`, "/dev/null"], {
      cwd: dir,
      input: "Grace\n",
      encoding: "utf8",
      env: { PATH: process.env["PATH"] ?? "", HOME: dir },
      timeout: 30_000
    })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("What is your name?")
    const doc = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { outputs: Record<string, unknown> }
    expect(doc.outputs["greeting"]).toBe("Hello Grace!")
  })
})
