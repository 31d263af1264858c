import { describe, expect, it } from "vitest"
import { failure, scripted } from "../../src/adapters/llm/ScriptedLanguageModels.js"
import { Effect, Layer } from "effect"
import { LanguageModels, LlmError } from "../../src/ports/LanguageModels.js"
import { run, withApp, workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt,Context,Description"
const csv = (...rows: ReadonlyArray<string>) => [HEADER, ...rows, ""].join("\n")
const KEYS = { OPENAI_API_KEY: "sk-test-openai-0001", ANTHROPIC_API_KEY: "sk-ant-test-0002", GOOGLE_API_KEY: "AIza-test-google-0003" }
type Executions = ReadonlyArray<{ node: string; success: boolean; llm?: unknown; error?: string }>
const executions = (result: { execution_summary: unknown }) => (result.execution_summary as { node_executions: Executions }).node_executions

describe("llm agents", () => {
  it("send the filled Prompt as the system message and the inputs as the user's turn, with Context over config", async () => {
    const models = scripted(() => "Paris")
    const dir = workspace({
      "agentmap_config.yaml": "llm:\n  anthropic:\n    model: claude-from-config\n    temperature: 0.9\n    max_tokens: 300\n",
      "q.csv": csv(
        `G,Ask,claude,,,question|country,answer,You know the geography of {country}.,"{""temperature"": 0.1}",`,
        `G,Again,gpt,,,question,second,,"{""model"": ""gpt-custom"", ""max_tokens"": 50}",`
      ).replace("G,Ask,claude,,,", "G,Ask,claude,Again,,")
    })
    const result = await run(dir, { workflow: "q.csv", state: { question: "Capital?", country: "France" } }, { models: models.layer })
    expect(result.outputs["answer"]).toBe("Paris")
    expect(models.calls[0]).toMatchObject({
      provider: "anthropic",
      model: "claude-from-config",
      system: "You know the geography of France.",
      messages: [{ role: "user", content: "question: Capital?\ncountry: France" }],
      temperature: 0.1,
      maxTokens: 300
    })
    expect(models.calls[1]).toMatchObject({ provider: "openai", model: "gpt-custom", system: undefined, messages: [{ role: "user", content: "Capital?" }], maxTokens: 50 })
    expect(executions(result).map((e) => e.llm)).toEqual([
      { provider: "anthropic", model: "claude-from-config", input_tokens: 10, output_tokens: 1 },
      { provider: "openai", model: "gpt-custom", input_tokens: 1, output_tokens: 1 }
    ])
  })

  it("take their system prompt from the prompt registry or a file, filled from the inputs", async () => {
    const models = scripted(() => "ok")
    const dir = workspace({
      "prompts/registry.yaml": "analyst: 'You analyse {subject} data.'\n",
      "prompts/critic.txt": "Criticise the analysis of {subject}.\n",
      "p.csv": csv("G,A,llm,B,,subject|data,analysis,prompt:analyst,,", "G,B,claude,,,subject|analysis,critique,file:critic.txt,,")
    })
    await run(dir, { workflow: "p.csv", state: { subject: "sales", data: "1,2,3" } }, { models: models.layer })
    expect(models.calls.map((c) => c.system)).toEqual(["You analyse sales data.", "Criticise the analysis of sales."])
  })

  it("keep conversation memory under memory_key, at most max_memory_messages", async () => {
    const models = scripted((_r, i) => `answer ${i + 1}`)
    const dir = workspace({ "m.csv": csv(`G,Chat,llm,,,message|history,reply,Be kind.,"{""memory_key"": ""history"", ""max_memory_messages"": 3}",`) })
    const first = await run(dir, { workflow: "m.csv", state: { message: "hi" } }, { models: models.layer })
    expect(first.outputs["history"]).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "answer 1" }
    ])
    const second = await run(dir, { workflow: "m.csv", state: { message: "again", history: first.outputs["history"] } }, { models: models.layer })
    expect(models.calls[1]!.messages).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "answer 1" },
      { role: "user", content: "again" }
    ])
    // three messages would start with an answer, which providers refuse: the memory starts at a question
    expect(second.outputs["history"]).toEqual([
      { role: "user", content: "again" },
      { role: "assistant", content: "answer 2" }
    ])
  })

  it("read and write memory through a mapped input, skipping empty and malformed entries", async () => {
    const models = scripted(() => "noted")
    const dir = workspace({ "m.csv": csv("G,Chat,llm,,,message|chat_log:memory,reply,,,") })
    const log = [{ role: "assistant", content: "stale answer" }, { role: "user", content: "" }, "junk", { role: "user", content: "hi" }, { role: "assistant", content: "hello" }]
    const result = await run(dir, { workflow: "m.csv", state: { message: "remember me", chat_log: log } }, { models: models.layer })
    expect(models.calls[0]!.messages).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
      { role: "user", content: "remember me" }
    ])
    expect(result.outputs["chat_log"]).toEqual([...(models.calls[0]!.messages as Array<unknown>), { role: "assistant", content: "noted" }])
    expect(result.outputs["memory"]).toBeUndefined()
  })

  it("a node with nothing to ask fails without calling a model", async () => {
    const models = scripted()
    const dir = workspace({ "e.csv": csv("G,Ask,llm,,Handle,q,a,,,", "G,Handle,echo,,,error,why,,,") })
    const result = await run(dir, { workflow: "e.csv", state: {} }, { models: models.layer })
    expect(result.outputs["why"]).toBe("node 'Ask' has nothing to ask: no Prompt and no input values")
    expect(models.calls).toHaveLength(0)
  })

  it("does not fall back to another model once part of an answer has been streamed", async () => {
    const calls: Array<string> = []
    const halfway = Layer.succeed(LanguageModels, {
      chat: (r) =>
        Effect.gen(function* () {
          calls.push(r.provider)
          yield* r.onToken?.("The answer is ") ?? Effect.void
          return yield* new LlmError({ provider: r.provider, model: r.model, reason: "Network", message: "connection reset" })
        })
    })
    const dir = workspace({ "agentmap_config.yaml": "llm:\n  fallback_provider: anthropic\n", "p.csv": csv("G,Ask,openai,,,q,a,,,") })
    const tokens: Array<string> = []
    const outcome = await withApp(dir, (s) => s.execute({ workflow: "p.csv", state: { q: "x" } }, { tokens: (t) => Effect.sync(() => void tokens.push("text" in t ? t.text : "")) }), { models: halfway })
    if (outcome._tag === "Left") throw new Error(String(outcome.left))
    expect(calls).toEqual(["openai"])
    expect(tokens).toEqual(["The answer is "])
    expect(outcome.right.result.outputs["error"]).toBe("node 'Ask': the model call failed: openai/gpt-4o-mini: Network: connection reset")
  })

  it("a call that finally fails sets the flag false, records the error and takes Failure_Next", async () => {
    const models = scripted(() => failure("ServerError", "HTTP 500: boom"))
    const dir = workspace({ "f.csv": csv("G,Ask,openai,Done,Handle,q,a,,,", "G,Handle,echo,,,error,handled,,,", "G,Done,echo,,,a,done,,,") })
    const result = await run(dir, { workflow: "f.csv", state: { q: "x" } }, { models: models.layer })
    expect(result.outputs["a"]).toBeUndefined()
    expect(result.outputs["handled"]).toBe("node 'Ask': the model call failed: openai/gpt-4o-mini: ServerError: HTTP 500: boom")
    expect(result.outputs["errors"]).toEqual([{ node: "Ask", type: "LlmError", message: result.outputs["handled"] }])
    const [ask, handle] = executions(result)
    expect(ask).toMatchObject({ node: "Ask", success: false, llm: { provider: "openai", model: "gpt-4o-mini", input_tokens: 0, output_tokens: 0 } })
    expect(handle!.node).toBe("Handle")
  })

  it("falls back to the fallback provider when the first one fails", async () => {
    const models = scripted((r) => (r.provider === "openai" ? failure("RateLimited") : "from claude"))
    const dir = workspace({ "agentmap_config.yaml": "llm:\n  fallback_provider: anthropic\n", "f.csv": csv("G,Ask,openai,,,q,a,,,") })
    const result = await run(dir, { workflow: "f.csv", state: { q: "x" } }, { models: models.layer })
    expect(result.outputs["a"]).toBe("from claude")
    expect(models.calls.map((c) => `${c.provider}/${c.model}`)).toEqual(["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"])
    expect(executions(result)[0]!.llm).toMatchObject({ provider: "anthropic", model: "claude-3-5-haiku-latest" })
  })
})

describe("model routing", () => {
  const routed = async (context: string, config = "", env: Record<string, string> = KEYS, state: Record<string, unknown> = { q: "Tell me something" }) => {
    const models = scripted()
    const dir = workspace({ "agentmap_config.yaml": config, "r.csv": csv(`G,R,llm,,,q,a,Answer: {q},"${context.replace(/"/g, '""')}",`) })
    const result = await run(dir, { workflow: "r.csv", state }, { models: models.layer, env })
    return { result, calls: models.calls.map((c) => `${c.provider}/${c.model}`) }
  }

  it("picks provider and model from the matrix by task type and complexity override", async () => {
    expect((await routed(`{"routing_enabled": true, "task_type": "creative_writing", "complexity_override": "high", "provider_preference": ["anthropic"]}`)).calls).toEqual([
      "anthropic/claude-3-5-sonnet-latest"
    ])
    expect((await routed(`{"routing_enabled": true, "complexity_override": "low", "provider_preference": ["google", "openai"]}`)).calls).toEqual(["google/gemini-1.5-flash"])
  })

  it("a model named provider.complexity (the original's `anthropic.medium`) is the matrix's model", async () => {
    const models = scripted()
    const dir = workspace({ "t.csv": csv(`G,A,claude,,,q,a,,"{""provider"": ""anthropic"", ""model"": ""anthropic.medium""}",`) })
    await run(dir, { workflow: "t.csv", state: { q: "x" } }, { models: models.layer })
    expect(models.calls.map((c) => `${c.provider}/${c.model}`)).toEqual(["anthropic/claude-3-5-sonnet-latest"])
  })

  it("routing.enabled: false sends routed nodes to their provider's configured model", async () => {
    expect((await routed(`{"routing_enabled": true, "complexity_override": "critical"}`, "routing:\n  enabled: false\n")).calls).toEqual(["openai/gpt-4o-mini"])
  })

  it("assesses complexity from the prompt and inputs when there is no override", async () => {
    const config = "routing:\n  routing_matrix:\n    openai: { low: o-low, medium: o-med, high: o-high, critical: o-crit }\n  task_types:\n    triage: { provider_preference: [openai], default_complexity: low, complexity_keywords: { critical: [outage] } }\n  complexity_analysis:\n    prompt_length_thresholds: { low: 100, medium: 200, high: 400 }\n"
    expect((await routed(`{"routing_enabled": true, "task_type": "triage"}`, config, KEYS, { q: "hello" })).calls).toEqual(["openai/o-low"])
    expect((await routed(`{"routing_enabled": true, "task_type": "triage"}`, config, KEYS, { q: "x".repeat(120) })).calls).toEqual(["openai/o-high"])
    expect((await routed(`{"routing_enabled": true, "task_type": "triage"}`, config, KEYS, { q: "a production outage" })).calls).toEqual(["openai/o-crit"])
  })

  it("skips providers without credentials and uses activities and the configured fallback", async () => {
    const onlyGoogle = { GOOGLE_API_KEY: "AIza-test-google-0003" }
    expect((await routed(`{"routing_enabled": true, "provider_preference": ["anthropic", "google"], "complexity_override": "medium"}`, "", onlyGoogle)).calls).toEqual([
      "google/gemini-1.5-flash"
    ])
    const config = "routing:\n  activities:\n    triage:\n      primary: { provider: openai, model: tiny-1 }\n      fallbacks: [{ provider: google, model: g-2 }]\n"
    expect((await routed(`{"routing_enabled": true, "activity": "triage"}`, config)).calls).toEqual(["openai/tiny-1"])
  })

  it("tries the next candidate when a routed model fails, and records the one that answered", async () => {
    const models = scripted((r) => (r.provider === "anthropic" ? failure("ServerError") : "ok"))
    const dir = workspace({ "r.csv": csv(`G,R,llm,,,q,a,,"{""routing_enabled"": true, ""complexity_override"": ""high"", ""provider_preference"": [""anthropic"", ""openai""]}",`) })
    const result = await run(dir, { workflow: "r.csv", state: { q: "x" } }, { models: models.layer, env: KEYS })
    expect(models.calls.map((c) => `${c.provider}/${c.model}`)).toEqual(["anthropic/claude-3-5-sonnet-latest", "openai/gpt-4o"])
    expect(executions(result)[0]!.llm).toMatchObject({ provider: "openai", model: "gpt-4o" })
  })
})

describe("summary with llm", () => {
  it("asks the model to summarise the joined inputs, the Prompt as instructions", async () => {
    const models = scripted(() => "short")
    const dir = workspace({ "s.csv": csv(`G,S,summary,,,a|b,s,In one line about {a}:,"{""llm"": ""claude""}",`) })
    const result = await run(dir, { workflow: "s.csv", state: { a: "cats", b: "dogs" } }, { models: models.layer })
    expect(result.outputs["s"]).toBe("short")
    const off = await run(workspace({ "s.csv": csv(`G,S,summary,,,a|b,s,,"{""llm"": ""no""}",`) }), { workflow: "s.csv", state: { a: "cats", b: "dogs" } }, { models: models.layer })
    expect(off.outputs["s"]).toBe("a: cats\n\nb: dogs")
    expect(models.calls[0]).toMatchObject({ provider: "anthropic", system: "In one line about cats:", messages: [{ role: "user", content: "a: cats\n\nb: dogs" }] })
  })
})

describe("orchestrator", () => {
  const files = (context: string) => ({
    "o.csv": [
      "GraphName,Node,AgentType,Input_Fields,Output_Field,Success_Next,Failure_Next,Prompt,Context,Description",
      `G,Router,orchestrator,request,selected,,,Route the request,"${context.replace(/"/g, '""')}",`,
      "G,GetDrink,echo,request,result,,,,,Fetch a beverage such as coffee or tea",
      "G,GetFood,echo,request,result,,,,,Prepare a meal or a snack",
      ""
    ].join("\n")
  })

  it("algorithm: matches the input against node names and descriptions and goes there", async () => {
    const models = scripted()
    const result = await run(workspace(files(`{"matching_strategy": "algorithm"}`)), { workflow: "o.csv", state: { request: "some coffee please" } }, { models: models.layer })
    expect(result.outputs["selected"]).toBe("GetDrink")
    expect(executions(result).map((e) => e.node)).toEqual(["Router", "GetDrink"])
    expect(models.calls).toHaveLength(0)
  })

  it("llm: the model chooses among the nodes and their descriptions", async () => {
    const models = scripted(() => "GetFood")
    const result = await run(workspace(files(`{"matching_strategy": "llm"}`)), { workflow: "o.csv", state: { request: "I am hungry" } }, { models: models.layer })
    expect(result.outputs["selected"]).toBe("GetFood")
    expect(models.calls[0]!.system).toContain("- GetDrink: Fetch a beverage such as coffee or tea")
    expect(executions(result)[0]!.llm).toMatchObject({ provider: "openai" })
  })

  it("refuses a default_target that is not another node of the graph: the node fails and Failure_Next runs", async () => {
    const dir = workspace({
      "o.csv": [
        "GraphName,Node,AgentType,Input_Fields,Output_Field,Success_Next,Failure_Next,Prompt,Context,Description",
        `G,Router,orchestrator,request,selected,,Oops,,"{""matching_strategy"": ""algorithm"", ""default_target"": ""Nowhere""}",`,
        "G,GetDrink,echo,request,result,,,,,Fetch a beverage",
        "G,Oops,echo,error,why,,,,,",
        ""
      ].join("\n")
    })
    const result = await run(dir, { workflow: "o.csv", state: { request: "nothing matches this" } }, { models: scripted().layer })
    expect(result.outputs["why"]).toBe("orchestrator 'Router': default_target 'Nowhere' is not another node of this graph")
    expect(executions(result).map((e) => e.node)).toEqual(["Router", "Oops"])
  })

  it("tiered: a model that cannot answer leaves the keywords' best guess", async () => {
    const models = scripted(() => failure("ServerError"))
    const result = await run(workspace(files(`{"confidence_threshold": 0.99}`)), { workflow: "o.csv", state: { request: "coffee and a meal" } }, { models: models.layer })
    expect(result.outputs["selected"]).toBe("GetDrink")
    expect(executions(result)[0]).toMatchObject({ success: true, llm: { provider: "openai" } })
  })

  it("tiered: keywords when confident, the model otherwise", async () => {
    const models = scripted(() => "GetFood")
    const confident = await run(workspace(files(`{"confidence_threshold": 0.5}`)), { workflow: "o.csv", state: { request: "coffee" } }, { models: models.layer })
    expect(confident.outputs["selected"]).toBe("GetDrink")
    expect(models.calls).toHaveLength(0)
    const unsure = await run(workspace(files(`{"confidence_threshold": 0.5}`)), { workflow: "o.csv", state: { request: "I am starving, anything" } }, { models: models.layer })
    expect(unsure.outputs["selected"]).toBe("GetFood")
    expect(models.calls).toHaveLength(1)
  })
})
