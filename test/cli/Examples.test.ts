import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ROOT, agentmap, agentmapAsync, json } from "../support/cli.js"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { llmEnv } from "../support/llm.js"

/** The examples the README shows, run from the checkout the way the README says. */
describe("README examples in workflows/", () => {
  const run = (args: ReadonlyArray<string>) => {
    const r = agentmap(["run", ...args, "--json"], { cwd: ROOT })
    expect(r.status).toBe(0)
    return json(r) as { outputs: Record<string, unknown>; execution_summary: { node_executions: Array<{ node: string }> } }
  }

  it("hello_world greets by name", () => {
    expect(run(["workflows/hello_world.csv", "--state", '{"name":"Ada"}']).outputs["greeting"]).toBe("Hello Ada, welcome to AgentMap!")
  })
  it("branching escalates urgent tickets and queues the rest", () => {
    expect(run(["branching", "--state", '{"urgent":"yes","ticket":"DB down"}']).outputs["action"]).toBe("Paging the on-call engineer about: DB down")
    expect(run(["branching", "--state", '{"urgent":"no","ticket":"typo"}']).outputs["action"]).toBe("Queued for the next business day: typo")
  })
  it("fan_out runs three branches and reports once", () => {
    const result = run(["fan_out", "--state", '{"topic":"bees"}'])
    expect(result.execution_summary.node_executions.filter((e) => e.node === "Report")).toHaveLength(1)
    expect(result.outputs["report"]).toBe("- facts: Facts about bees\n- quotes: Quotes about bees\n- numbers_checked: Checked: Numbers about bees")
  })
  it("subgraph routes the parent by the review's verdict", () => {
    expect(run(["subgraph", "--state", '{"text":"hi","approved":true}']).outputs["published"]).toBe("Published DRAFT: hi")
    expect(run(["subgraph", "--state", '{"text":"hi","approved":false}']).outputs["published"]).toContain("Needs work")
  })
  it("routing_function grades with a TypeScript routing function", () => {
    expect(run(["routing_function", "--state", '{"score":72}']).outputs["grade"]).toBe("72: pass")
    expect(run(["routing_function", "--state", '{"score":95}']).outputs["grade"]).toBe("95: excellent")
  })
  it("tools slugs the title with its one tool and counts its words with the tool the prompt's keywords choose", () => {
    const result = run(["tools", "--state", '{"title":"Crème Brûlée for Beginners"}'])
    expect(result.outputs["report"]).toBe("/posts/creme-brulee-for-beginners (4 words)")
    const failed = agentmap(["run", "tools", "--state", '{"title":""}', "--json"], { cwd: ROOT })
    expect((json(failed) as { outputs: Record<string, unknown> }).outputs["error"]).toBe("node 'Slug': tool 'slugify': argument 'text' is invalid: Too small: expected string to have >=1 characters")
  })
  it("every example validates without errors", () => {
    for (const name of ["hello_world", "branching", "fan_out", "subgraph", "review", "routing_function", "support_triage", "tools", "custom_agent"]) {
      expect(agentmap(["validate", name], { cwd: ROOT }).status).toBe(0)
    }
  })
})

describe("README LLM example against fake providers", () => {
  let fake: FakeLlm
  beforeAll(async () => {
    fake = await startFakeLlm()
  })
  afterAll(() => fake.close())
  const triage = async (state: Record<string, unknown>) => {
    const r = await agentmapAsync(["run", "support_triage", "--state", JSON.stringify(state), "--json"], { cwd: ROOT, env: llmEnv(fake) })
    return JSON.parse(r.stdout) as { outputs: Record<string, unknown>; execution_summary: { node_executions: Array<{ node: string; llm?: { model: string } }> } }
  }

  it("support_triage routes by keywords to a team whose model answers with memory, and apologises when the model fails", async () => {
    const billing = await triage({ message: "I want a refund for my last invoice" })
    expect(billing.outputs["team"]).toBe("Billing")
    expect(billing.outputs["answer"]).toBe("[anthropic/claude-3-5-haiku-latest] I want a refund for my last invoice")
    expect(billing.outputs["history"]).toHaveLength(2)
    const technical = await triage({ message: "the app crashes at login", history: billing.outputs["history"] })
    expect(technical.execution_summary.node_executions.map((e) => [e.node, e.llm?.model])).toEqual([
      ["Route", undefined],
      ["Technical", "gpt-4o-mini"],
      ["Done", undefined]
    ])
    expect(fake.requests.at(-1)!.body.messages).toHaveLength(4)
    fake.script("anthropic", ...Array.from({ length: 4 }, () => ({ status: 500 })))
    const failing = await triage({ message: "refund please" })
    expect(failing.outputs["answer"]).toMatch(/^Sorry, we could not answer right now: node 'Billing': the model call failed: anthropic\/claude-3-5-haiku-latest: ServerError: HTTP 500/)
  })

  it("custom_agent: the briefing agent asks the model, saves a note under data/, and the next row uses both of its outputs", async () => {
    const note = path.join(ROOT, "data", "notes", "rust-async-runtimes.md")
    fs.rmSync(note, { force: true })
    const r = await agentmapAsync(["run", "custom_agent", "--state", '{"topic":"Rust async runtimes"}', "--json"], { cwd: ROOT, env: llmEnv(fake) })
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as { outputs: Record<string, unknown>; execution_summary: { node_executions: Array<{ node: string; llm?: { model: string } }> } }
    expect(result.outputs["report"]).toBe("Saved notes/rust-async-runtimes.md: [anthropic/claude-3-5-haiku-latest] Rust async runtimes")
    expect(result.execution_summary.node_executions.map((e) => [e.node, e.llm?.model])).toEqual([
      ["Write", "claude-3-5-haiku-latest"],
      ["Announce", undefined]
    ])
    expect(fake.requests.at(-1)!.body.system).toBe("You write two-sentence briefs for busy engineers.")
    expect(fs.readFileSync(note, "utf8")).toBe("# Rust async runtimes\n\n[anthropic/claude-3-5-haiku-latest] Rust async runtimes\n\n(anthropic/claude-3-5-haiku-latest)\n")

    const failed = await agentmapAsync(["run", "custom_agent", "--state", '{"topic":" "}', "--json"], { cwd: ROOT, env: llmEnv(fake) })
    expect((JSON.parse(failed.stdout) as { outputs: Record<string, unknown> }).outputs["report"]).toBe(`Could not write the brief: no topic: run with --state '{"topic": "..."}'`)
  })
})
