import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ROOT, agentmapAsync } from "../support/cli.js"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { TEST_KEYS, llmEnv } from "../support/llm.js"
import { workspace } from "../support/workspace.js"

const FLOW = [
  "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt",
  "F,Write,openai,topic,line,Done,Write one line about {topic}.",
  "F,Done,echo,line,final,,",
  ""
].join("\n")

/** Spans the console exporter wrote to stderr (one JSON line each). */
const spansIn = (stderr: string): Array<{ span: string; trace_id: string; span_id: string; parent_span_id?: string; attributes: Record<string, unknown> }> =>
  stderr
    .split("\n")
    .filter((l) => l.startsWith("{\"span\""))
    .map((l) => JSON.parse(l) as never)

describe("telemetry from the CLI (exporter: console)", () => {
  let fake: FakeLlm
  beforeAll(async () => {
    fake = await startFakeLlm()
  })
  afterAll(async () => {
    await fake?.close()
  })

  const run = (captureContent: boolean) => {
    const dir = workspace({
      "agentmap_config.yaml": `telemetry:\n  enabled: true\n  exporter: console\n  capture_content: ${captureContent}\n`,
      "flow.csv": FLOW
    })
    fake.script("openai", { text: "Lighthouses keep their watch.", inputTokens: 9, outputTokens: 5 })
    return agentmapAsync(["run", "flow.csv", "--state", '{"topic":"lighthouses"}', "--json"], { cwd: dir, env: llmEnv(fake) })
  }

  it("exports every span before `run` exits, in the result's trace, and keeps prompts and completions out by default", async () => {
    const r = await run(false)
    expect(r.status).toBe(0)
    // stdout stays the result document alone
    const result = JSON.parse(r.stdout) as Record<string, unknown>
    const spans = spansIn(r.stderr)
    const names = spans.map((s) => s.span)
    expect(names).toEqual(expect.arrayContaining(["agentmap.run", "agentmap.node Write", "agentmap.node Done", "agentmap.checkpoint.write"]))
    const runSpan = spans.find((s) => s.span === "agentmap.run")!
    expect(runSpan.trace_id).toBe(result["trace_id"])
    expect(new Set(spans.map((s) => s.trace_id))).toEqual(new Set([result["trace_id"]]))
    const chat = spans.find((s) => s.span.startsWith("chat "))!
    expect(chat.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 9, "gen_ai.usage.output_tokens": 5, "gen_ai.response.finish_reasons": ["stop"] })
    expect(chat.attributes["gen_ai.input.messages"]).toBeUndefined()
    expect(r.stderr).not.toContain("Lighthouses keep their watch")
    expect(r.stderr).not.toContain("Write one line about")
    for (const k of Object.values(TEST_KEYS)) expect(r.stderr).not.toContain(k)
  })

  it("puts prompts and completions on the model's span with capture_content: true", async () => {
    const r = await run(true)
    expect(r.status).toBe(0)
    const chat = spansIn(r.stderr).find((s) => s.span.startsWith("chat "))!
    expect(String(chat.attributes["gen_ai.system_instructions"])).toContain("Write one line about")
    expect(String(chat.attributes["gen_ai.input.messages"])).toContain("lighthouses")
    expect(String(chat.attributes["gen_ai.output.messages"])).toContain("Lighthouses keep their watch.")
    for (const k of Object.values(TEST_KEYS)) expect(r.stderr).not.toContain(k)
  })
})

describe("the span tree of parallel branches and subgraphs", () => {
  it("puts parallel branches side by side under the run, and a subgraph's nodes under its graph node", async () => {
    const dir = workspace({
      "agentmap_config.yaml": "telemetry:\n  enabled: true\n  exporter: console\n",
      "flow.csv": [
        "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt,Context",
        "Main,Start,echo,A|B,,,,,,",
        "Main,A,echo,Call,,,,a,,",
        "Main,B,echo,Call,,,,b,,",
        "Main,Call,graph,,,,a,child,,{workflow=::Inner}",
        "Inner,Shout,echo,,,,a,shout,,",
        ""
      ].join("\n")
    })
    const r = await agentmapAsync(["run", "flow.csv", "--graph", "Main", "--state", '{"a":"x"}', "--json"], { cwd: dir })
    expect(r.status, r.stderr).toBe(0)
    const spans = spansIn(r.stderr)
    const runs = spans.filter((s) => s.span === "agentmap.run")
    expect(runs).toHaveLength(1)
    const node = (name: string) => spans.find((s) => s.span === `agentmap.node ${name}`)!
    for (const name of ["Start", "A", "B", "Call"]) expect(node(name).parent_span_id).toBe(runs[0]!.span_id)
    // the subgraph runs as a thread of its own, its node spans under the graph node's span
    expect(node("Shout").parent_span_id).toBe(node("Call").span_id)
    expect(String(node("Shout").attributes["agentmap.thread_id"])).toContain("/Call#")
  })
})

describe("telemetry off", () => {
  /**
   * Runs a workflow through the library build (dist/index.mjs keeps its dependencies in
   * node_modules, so what it loads is visible) and lists every OpenTelemetry module that was
   * loaded: ESM through a resolve hook, CommonJS through the require cache.
   */
  const loadedModules = (telemetry: string) => {
    const dir = workspace({
      "agentmap_config.yaml": `auth:\n  enabled: false\n${telemetry}`,
      "workflows/hello.csv": "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt\nH,Greet,echo,name,greeting,Done,\nH,Done,echo,greeting,final,,\n",
      "hooks.mjs": [
        'import { appendFileSync } from "node:fs"',
        "export async function resolve(specifier, context, next) {",
        "  const r = await next(specifier, context)",
        '  if (r.url.includes("opentelemetry")) appendFileSync(process.env.LOADS_FILE, r.url + "\\n")',
        "  return r",
        "}",
        ""
      ].join("\n"),
      "register.mjs": 'import { register } from "node:module"\nregister("./hooks.mjs", import.meta.url)\n',
      "main.mjs": [
        'import { createRequire } from "node:module"',
        'import { appendFileSync } from "node:fs"',
        `import { createAgentMap } from ${JSON.stringify(path.join(ROOT, "dist", "index.mjs"))}`,
        "const am = createAgentMap({ cwd: process.cwd() })",
        'const result = await am.run("hello", { state: { name: "Ada" } })',
        "await am.close()",
        'for (const id of Object.keys(createRequire(import.meta.url).cache)) if (id.includes("opentelemetry")) appendFileSync(process.env.LOADS_FILE, id + "\\n")',
        "console.log(JSON.stringify(result))",
        ""
      ].join("\n")
    })
    const loads = path.join(dir, "loads.txt")
    fs.writeFileSync(loads, "")
    const r = spawnSync(process.execPath, ["--import", "./register.mjs", "main.mjs"], {
      cwd: dir,
      env: { PATH: process.env["PATH"] ?? "", HOME: dir, LOADS_FILE: loads, OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" },
      encoding: "utf8",
      timeout: 60_000
    })
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>
    return { result, modules: fs.readFileSync(loads, "utf8").split("\n").filter((l) => l !== "") }
  }
  const sdk = (modules: ReadonlyArray<string>) => modules.filter((m) => /@opentelemetry[\\/](sdk-|exporter-|resources|otlp-)|@effect[\\/]opentelemetry/.test(m))

  it("loads no OpenTelemetry SDK module, yet the result carries a trace id", () => {
    const { result, modules } = loadedModules("")
    expect(result["status"]).toBe("completed")
    expect(result["trace_id"]).toMatch(/^[0-9a-f]{32}$/)
    expect(sdk(modules)).toEqual([])
  })

  it("(the same check sees the SDK when telemetry is on)", () => {
    const { result, modules } = loadedModules("telemetry:\n  enabled: true\n  exporter: none\n")
    expect(result["status"]).toBe("completed")
    expect(sdk(modules)).toEqual(expect.arrayContaining([expect.stringContaining("sdk-trace-base"), expect.stringContaining("@effect/opentelemetry")]))
  })
})
