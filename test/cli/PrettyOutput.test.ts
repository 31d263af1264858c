import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Input_Fields,Output_Field,Success_Next,Failure_Next,Prompt"

describe("the pretty output of a run", () => {
  it("shows each failed node's whole error message, wrapped at words, with its hint", () => {
    const dir = workspace({
      "ask.csv": `${HEADER}\nSupport,Billing,claude,message,answer,,Sorry,You answer billing questions.\nSupport,Sorry,echo,error,answer,,,\n`
    })
    const r = agentmap(["run", "ask.csv", "--state", '{"message": "refund please"}'], { cwd: dir })
    expect(r.status).toBe(1)
    const section = r.stdout.slice(r.stdout.indexOf("Failed node"))
    const lines = section.split("\n").slice(1, section.split("\n").findIndex((l, i) => i > 0 && l.trim() === ""))
    expect(lines.every((l) => l.length <= 100)).toBe(true)
    expect(lines.join(" ").replace(/\s+/g, " ").trim()).toBe(
      "✘ Billing (claude): node 'Billing': the model call failed: anthropic/claude-3-5-haiku-latest: NotConfigured: no API key for anthropic (set llm.anthropic.api_key or ANTHROPIC_API_KEY)"
    )
    // a long value in the state table is shortened at the end of a word, never inside one
    const full = "node 'Billing': the model call failed: anthropic/claude-3-5-haiku-latest: NotConfigured: no API key for anthropic (set llm.anthropic.api_key or ANTHROPIC_API_KEY)"
    const shown = /^ {2}error +(.*)…$/m.exec(r.stdout)?.[1] ?? ""
    expect(shown.length).toBeGreaterThan(20)
    expect(full.startsWith(shown) && full[shown.length] === " ").toBe(true)
  })

  it("a resume's headline shows how long the resume took, not the time since the thread began", async () => {
    const dir = workspace({ "wait.csv": `${HEADER}\nW,Ask,suspend,,answer,Done,,waiting for the ledger\nW,Done,echo,answer,out,,,\n` })
    const thread = json(agentmap(["run", "wait.csv", "--json"], { cwd: dir }))["thread_id"] as string
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    const t0 = performance.now()
    const r = agentmap(["resume", thread, "continue"], { cwd: dir })
    const wall = performance.now() - t0
    expect(r.status).toBe(0)
    const headline = new RegExp(`^✔ completed  graph W  thread ${thread}  \\((\\d+(?:\\.\\d+)?) (ms|s)\\)$`).exec(r.stdout.split("\n")[0]!)
    expect(headline).not.toBeNull()
    // the resume's own time fits in the command's wall time; the time since the thread began (1.2 s more) would not
    const shown = Number(headline![1]) * (headline![2] === "s" ? 1000 : 1)
    expect(shown).toBeLessThanOrEqual(wall)
  })

  it("threads show of a suspended thread prints the command that resumes it", () => {
    const dir = workspace({ "ok.csv": `${HEADER}\nOk,Approve,human,,approved,,,Approve the invoice?\n` })
    const thread = json(agentmap(["run", "ok.csv", "--json"], { cwd: dir }))["thread_id"] as string
    const shown = agentmap(["threads", "show", thread], { cwd: dir })
    expect(shown.stdout).toContain(`resume    agentmap resume ${thread} approve   (or: reject)`)
  })
})
