import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { agentmapAsync } from "../support/cli.js"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { llmEnv, TEST_KEYS } from "../support/llm.js"
import { workspace } from "../support/workspace.js"

const FLOW = [
  "GraphName,Node,AgentType,Input_Fields,Output_Field,Success_Next,Failure_Next,Prompt,Context",
  `Q,Ask,openai,question,answer,Review,Trouble,You answer questions about {topic}.,"{""model"": ""gpt-4o""}"`,
  "Q,Review,claude,answer,review,Check,Trouble,Review this answer.,",
  "Q,Check,gemini,review,verdict,Approve,Trouble,,",
  "Q,Approve,suspend,verdict,approval,,,Approve the verdict?,",
  "Q,Trouble,echo,error,trouble,,,,",
  ""
].join("\n")

const everythingWritten = (dir: string): string =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name)).toString("latin1"))
    .join("\n")

describe("LLM workflows from the command line", () => {
  let fake: FakeLlm
  beforeAll(async () => {
    fake = await startFakeLlm()
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.reset())

  it("records each node's provider, model and token usage in the execution summary", async () => {
    const dir = workspace({ "flow.csv": FLOW, "agentmap_config.yaml": "logging:\n  level: debug\n" })
    const r = await agentmapAsync(["run", "flow.csv", "--state", '{"question": "Why is the sky blue?", "topic": "physics"}', "--json"], { cwd: dir, env: llmEnv(fake) })
    const doc = JSON.parse(r.stdout)
    expect(doc.status).toBe("suspended")
    expect(doc.outputs).toMatchObject({ answer: "[openai/gpt-4o] Why is the sky blue?", review: "[anthropic/claude-3-5-haiku-latest] [openai/gpt-4o] Why is the sky blue?" })
    expect(doc.execution_summary.node_executions.map((e: { node: string; llm?: unknown }) => [e.node, e.llm])).toEqual([
      ["Ask", { provider: "openai", model: "gpt-4o", input_tokens: 10, output_tokens: 6 }],
      ["Review", { provider: "anthropic", model: "claude-3-5-haiku-latest", input_tokens: 9, output_tokens: 7 }],
      ["Check", { provider: "google", model: "gemini-1.5-flash", input_tokens: 7, output_tokens: 4 }]
    ])
    const pretty = await agentmapAsync(["run", "flow.csv", "--state", '{"question": "Why?", "topic": "physics"}'], { cwd: dir, env: llmEnv(fake) })
    expect(pretty.stdout).toMatch(/Ask\s+openai\s+✔\s+\S+ ms\s+openai\/gpt-4o\s+6\/2/)
  })

  it("never lets a key reach output, logs, errors, results or checkpoints, even when a provider echoes it", async () => {
    const dir = workspace({ "flow.csv": FLOW, "agentmap_config.yaml": "logging:\n  level: debug\nllm:\n  max_retries: 1\n  retry:\n    base_delay_seconds: 0.01\n" })
    const echo = { status: 500, body: { error: { message: `upstream rejected ${TEST_KEYS.anthropic} and ${TEST_KEYS.openai}` } } }
    fake.script("anthropic", echo, echo)
    const r = await agentmapAsync(["run", "flow.csv", "--state", '{"question": "q", "topic": "t"}', "--json"], { cwd: dir, env: llmEnv(fake) })
    const doc = JSON.parse(r.stdout)
    expect(doc.outputs.trouble).toBe(
      "node 'Review': the model call failed: anthropic/claude-3-5-haiku-latest: ServerError: HTTP 500: upstream rejected [REDACTED] and [REDACTED]"
    )
    expect(r.stderr).toContain("retry 1 of 1")
    expect(fake.requests.map((q) => q.provider)).toEqual(["openai", "anthropic", "anthropic"])
    const written = `${r.stdout}\n${r.stderr}\n${everythingWritten(dir)}`
    expect(written).toContain("[REDACTED]")
    for (const key of Object.values(TEST_KEYS)) expect(written).not.toContain(key)
  })
})
