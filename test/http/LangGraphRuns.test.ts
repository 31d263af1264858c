import { createServer, type Server } from "node:http"
import { Client } from "@langchain/langgraph-sdk"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeLlm, startFakeLlm } from "../support/FakeLlmServer.js"
import { llmEnv } from "../support/llm.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"
import { dropSchema, freshSchema, postgresConfig } from "../support/postgres.js"

const schema = freshSchema("lgruns")
afterAll(() => dropSchema(schema))

const header = "graph_name,node_name,agent_type,input_fields,output_field,prompt,context,success_next,failure_next"

const files = {
  "agentmap_config.yaml": "paths:\n  csv_repository: workflows\n",
  "workflows/hello.csv": [header, "Hello,Greet,echo,name,greeting,,,Shout,", "Hello,Shout,echo,greeting,final,,,,"].join("\n"),
  "workflows/approval.csv": [
    header,
    `Approval,Ask,human,doc,approved,Approve {doc}?,"{""interaction_type"": ""approval""}",Publish,Revise`,
    "Approval,Publish,echo,doc,published,,,,",
    "Approval,Revise,echo,doc,revised,,,,"
  ].join("\n"),
  "workflows/chat.csv": [header, "Chat,Answer,claude,question,answer,Answer briefly.,,Done,", "Chat,Done,echo,answer,final,,,,"].join("\n"),
  "workflows/progress.csv": [header, "Progress,Count,counter,items,total,,,,"].join("\n"),
  "custom_agents/counter.ts": [
    `import { defineAgent } from "agentmap"`,
    `export default defineAgent({ run: (ctx) => { const items = ctx.inputs["items"] as Array<string>; items.forEach((item, i) => ctx.emit({ done: i + 1, item })); return items.length } })`
  ].join("\n"),
  "workflows/slow.csv": [header, "Slow,Nap,sleeper,ms,slept,,,Mark,", "Slow,Mark,echo,slept,final,,,,"].join("\n"),
  "custom_agents/sleeper.ts": [
    `import { defineAgent } from "agentmap"`,
    `export default defineAgent({ run: (ctx) => new Promise((resolve, reject) => { const t = setTimeout(() => resolve("slept " + ctx.inputs["ms"]), Number(ctx.inputs["ms"])); ctx.signal.addEventListener("abort", () => { clearTimeout(t); reject(new Error("stopped")) }, { once: true }) }) })`
  ].join("\n")
}

describe("LangGraph API runs through the official SDK Client", () => {
  let fake: FakeLlm
  let server: RunningServer
  let client: Client
  let key: string
  let hook: Server
  let hookUrl = ""
  let dir = ""
  const hooks: Array<Record<string, unknown>> = []
  let flakyTries = 0

  beforeAll(async () => {
    fake = await startFakeLlm()
    dir = workspace(files)
    key = createKey(dir, "sdk")
    server = await startServer(dir, [], llmEnv(fake))
    client = new Client({ apiUrl: server.url, apiKey: key })
    hook = createServer((req, res) => {
      let body = ""
      req.on("data", (d: Buffer) => (body += d.toString()))
      req.on("end", () => {
        // /flaky fails its first delivery: the server tries again
        if (req.url === "/flaky" && ++flakyTries === 1) {
          res.statusCode = 500
          return void res.end("not yet")
        }
        hooks.push({ ...(JSON.parse(body) as Record<string, unknown>), path: req.url })
        res.end("ok")
      })
    })
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve))
    const address = hook.address()
    hookUrl = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/hook`
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.close()
    hook?.close()
  })

  const newThread = () => crypto.randomUUID()

  it("runs.wait on a new thread answers the final values", async () => {
    const values = await client.runs.wait(null, "hello::Hello", { input: { name: "Ada" } })
    expect(values).toMatchObject({ name: "Ada", greeting: "Ada", final: "Ada" })
  })

  it("the SDK's usual flow: assistants.search, threads.create, runs.wait, runs.create + join on that thread", async () => {
    const [assistant] = await client.assistants.search({ graphId: "hello::Hello" })
    const thread = await client.threads.create({ metadata: { user: "ada" } })
    expect(await client.runs.wait(thread.thread_id, assistant!.assistant_id, { input: { name: "Ada" } })).toMatchObject({ final: "Ada" })
    const run = await client.runs.create(thread.thread_id, assistant!.assistant_id, { input: { name: "Bea" } })
    expect(await client.runs.join(thread.thread_id, run.run_id)).toMatchObject({ final: "Bea" })
    const seen = await client.threads.get(thread.thread_id)
    expect(seen).toMatchObject({ metadata: expect.objectContaining({ user: "ada" }), values: expect.objectContaining({ final: "Bea" }) })
    // another key does not run on it
    const other = new Client({ apiUrl: server.url, apiKey: createKey(dir, "other-flow") })
    await expect(other.runs.wait(thread.thread_id, assistant!.assistant_id, { input: { name: "Eve" } })).rejects.toThrow(/404/)
  })

  it("a state written while a thread waits (threads.updateState) is what the resumed node sees", async () => {
    const thread = crypto.randomUUID()
    expect(await client.runs.wait(thread, "approval::Approval", { input: { doc: "draft" }, ifNotExists: "create" })).toMatchObject({ __interrupt__: [expect.anything()] })
    await client.threads.updateState(thread, { values: { doc: "final" } })
    expect(await client.runs.wait(thread, "approval::Approval", { command: { resume: true } })).toMatchObject({ doc: "final", published: "final" })
    // applied once: a later run with new input starts from the thread's values, not from the old write
    expect(await client.runs.wait(thread, "hello::Hello", { input: { name: "Zed" } })).toMatchObject({ doc: "final", published: "final", final: "Zed" })
    // a thread made empty and given a state starts from it
    const empty = await client.threads.create()
    await client.threads.updateState(empty.thread_id, { values: { name: "Pre" } })
    expect(await client.runs.wait(empty.thread_id, "hello::Hello", { input: {} })).toMatchObject({ final: "Pre" })
  })

  it("a resumable stream rejoined with Last-Event-ID misses no event and repeats none", async () => {
    const thread = crypto.randomUUID()
    const seen: Array<{ id?: string; event: string; data: unknown }> = []
    let runId = ""
    const stream = client.runs.stream(thread, "slow::Slow", { input: { ms: 400 }, ifNotExists: "create", streamMode: ["updates", "values"], streamResumable: true })
    for await (const part of stream) {
      seen.push(part)
      if (part.event === "metadata") runId = (part.data as { run_id: string }).run_id
      if (seen.length === 2) break // the connection is lost after the input's values
    }
    expect(seen.map((p) => p.id)).toEqual(["0", "1"])
    for await (const part of client.runs.joinStream(thread, runId, { lastEventId: seen.at(-1)!.id! })) seen.push(part)
    expect(seen.map((p) => p.event)).toEqual(["metadata", "values", "updates", "values", "updates", "values"])
    expect(seen.map((p) => p.id)).toEqual(["0", "1", "2", "3", "4", "5"])
    expect(seen.at(-1)!.data).toMatchObject({ slept: "slept 400", final: "slept 400" })
    // from the start again: everything, in the same order
    const again: Array<string> = []
    for await (const part of client.runs.joinStream(thread, runId, { lastEventId: "-1" })) again.push(part.event)
    expect(again).toEqual(["metadata", "values", "updates", "values", "updates", "values"])
  })

  it("runs.wait takes an assistant's UUID as well as its workflow::Graph id", async () => {
    const [assistant] = await client.assistants.search({ graphId: "hello::Hello" })
    const uuid = (assistant!.metadata as Record<string, unknown>)["assistant_uuid"] as string
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/)
    const thread = crypto.randomUUID()
    expect(await client.runs.wait(thread, uuid, { input: { name: "Uu" }, ifNotExists: "create" })).toMatchObject({ final: "Uu" })
    // the run names its assistant by the canonical graph id
    expect((await client.runs.list(thread)).map((r) => r.assistant_id)).toEqual(["hello::Hello"])
    await expect(client.runs.wait(null, "00000000-0000-5000-8000-000000000000", { input: {} })).rejects.toThrow(/404/)
  })

  it("runs.wait on a thread with ifNotExists create, then lists and gets its run", async () => {
    const thread = newThread()
    const values = await client.runs.wait(thread, "hello::Hello", { input: { name: "Bo" }, ifNotExists: "create" })
    expect(values).toMatchObject({ final: "Bo" })
    const runs = await client.runs.list(thread)
    expect(runs.map((r) => [r.status, r.assistant_id, r.thread_id])).toEqual([["success", "hello::Hello", thread]])
    const run = await client.runs.get(thread, runs[0]!.run_id)
    expect(run).toMatchObject({ run_id: runs[0]!.run_id, status: "success", multitask_strategy: "reject" })
    // without ifNotExists an unknown thread is a 404
    await expect(client.runs.wait(newThread(), "hello::Hello", { input: {} })).rejects.toThrow(/404/)
  })

  it("runs.stream in values, updates and debug modes yields the SDK's events", async () => {
    const events: Array<{ event: string; data: unknown }> = []
    for await (const part of client.runs.stream(null, "hello::Hello", { input: { name: "Cy" }, streamMode: ["values", "updates", "debug"] })) events.push(part)
    expect(events[0]).toMatchObject({ event: "metadata", data: { run_id: expect.any(String), attempt: 1 } })
    expect(events.filter((e) => e.event === "updates").map((e) => e.data)).toEqual([{ Greet: { greeting: "Cy" } }, { Shout: { final: "Cy" } }])
    expect(events.filter((e) => e.event === "values").map((e) => e.data)).toEqual([
      { name: "Cy" },
      expect.objectContaining({ name: "Cy", greeting: "Cy" }),
      expect.objectContaining({ name: "Cy", greeting: "Cy", final: "Cy" })
    ])
    expect(events.filter((e) => e.event === "debug").map((e) => (e.data as { type: string; payload: { name: string } }).type + ":" + (e.data as { payload: { name: string } }).payload.name)).toEqual([
      "task:Greet",
      "task_result:Greet",
      "task:Shout",
      "task_result:Shout"
    ])
  })

  it("runs.stream in messages-tuple and messages modes yields the model's tokens", async () => {
    const chunks = ["The ", "sky ", "is ", "blue."]
    fake.script("anthropic", { text: chunks.join(""), chunks })
    const tuples: Array<unknown> = []
    for await (const part of client.runs.stream(null, "chat::Chat", { input: { question: "sky?" }, streamMode: "messages-tuple" })) if (part.event === "messages") tuples.push(part.data)
    expect(tuples.map((t) => (t as [{ content: string }, { langgraph_node: string }])).map(([m, meta]) => [m.content, meta.langgraph_node])).toEqual(chunks.map((c) => [c, "Answer"]))
    fake.script("anthropic", { text: chunks.join(""), chunks })
    const partial: Array<string> = []
    for await (const part of client.runs.stream(null, "chat::Chat", { input: { question: "sky?" }, streamMode: "messages" }))
      if (part.event === "messages/partial") partial.push((part.data as Array<{ content: string }>)[0]!.content)
    expect(partial[partial.length - 1]).toBe("The sky is blue.")
  })

  it("runs.stream in custom mode yields what custom agents emit", async () => {
    const custom: Array<unknown> = []
    for await (const part of client.runs.stream(null, "progress::Progress", { input: { items: ["a", "b"] }, streamMode: "custom" })) if (part.event === "custom") custom.push(part.data)
    expect(custom).toEqual([{ done: 1, item: "a" }, { done: 2, item: "b" }])
  })

  it("an interrupt is resumed by a command run; a second resume of it is 409", async () => {
    const thread = newThread()
    const waiting = await client.runs.wait(thread, "approval::Approval", { input: { doc: "memo" }, ifNotExists: "create" })
    expect(waiting).toMatchObject({ doc: "memo", __interrupt__: [{ value: expect.objectContaining({ interaction_type: "approval" }) }] })
    const done = await client.runs.wait(thread, "approval::Approval", { command: { resume: true } })
    expect(done).toMatchObject({ published: "memo" })
    expect(done).not.toHaveProperty("revised")
    expect(done).not.toHaveProperty("__interrupt__")
    await expect(client.runs.wait(thread, "approval::Approval", { command: { resume: true } })).rejects.toThrow(/409/)
    // the refused resume left no run behind
    expect((await client.runs.list(thread)).map((r) => r.status)).toEqual(["success", "interrupted"])
  })

  it("a streamed run that suspends sends its interrupt in updates and values", async () => {
    const events: Array<{ event: string; data: unknown }> = []
    for await (const part of client.runs.stream(newThread(), "approval::Approval", { input: { doc: "x" }, ifNotExists: "create", streamMode: ["updates", "values"] })) events.push(part)
    const interrupt = [{ id: expect.any(String), value: expect.objectContaining({ interaction_type: "approval", prompt: "Approve x?" }) }]
    expect(events.slice(-2)).toEqual([
      { event: "updates", data: { __interrupt__: interrupt } },
      { event: "values", data: { __interrupt__: interrupt } }
    ])
  })

  it("a thread started by POST /execute is resumed by a command run, and the other way round", async () => {
    const first = await call(`${server.url}/execute/approval`, { method: "POST", key, body: JSON.stringify({ state: { doc: "a" } }) })
    expect(first.body).toMatchObject({ status: "suspended" })
    const thread = String(first.body["thread_id"])
    expect(await client.runs.wait(thread, "approval::Approval", { command: { resume: "reject" } })).toMatchObject({ revised: "a" })

    const other = newThread()
    await client.runs.wait(other, "approval::Approval", { input: { doc: "b" }, ifNotExists: "create" })
    const resumed = await call(`${server.url}/resume/${other}`, { method: "POST", key, body: JSON.stringify({ action: "approve" }) })
    expect(resumed.body).toMatchObject({ status: "completed", outputs: { published: "b" } })
  })

  it("runs.create + runs.join run in the background; the webhook hears the end", async () => {
    const thread = newThread()
    const run = await client.runs.create(thread, "hello::Hello", { input: { name: "Di" }, ifNotExists: "create", webhook: hookUrl })
    expect(run).toMatchObject({ status: "pending", thread_id: thread, assistant_id: "hello::Hello" })
    expect(await client.runs.join(thread, run.run_id)).toMatchObject({ final: "Di" })
    expect(await client.runs.get(thread, run.run_id)).toMatchObject({ status: "success" })
    await expect.poll(() => hooks.find((h) => h["run_id"] === run.run_id)).toMatchObject({ status: "success", thread_id: thread, values: { final: "Di" } })
  })

  it("a webhook that fails is tried again", async () => {
    const values = await client.runs.wait(null, "hello::Hello", { input: { name: "Wu" }, webhook: hookUrl.replace("/hook", "/flaky") })
    expect(values).toMatchObject({ final: "Wu" })
    await expect.poll(() => hooks.find((h) => h["path"] === "/flaky")).toMatchObject({ status: "success", values: { final: "Wu" } })
    expect(flakyTries).toBe(2)
  })

  it("runs.cancel stops a long run; runs.delete forgets it", async () => {
    const thread = newThread()
    const run = await client.runs.create(thread, "slow::Slow", { input: { ms: 60_000 }, ifNotExists: "create" })
    await expect.poll(async () => (await client.runs.get(thread, run.run_id)).status).toBe("running")
    await client.runs.cancel(thread, run.run_id, true)
    expect(await client.runs.get(thread, run.run_id)).toMatchObject({ status: "interrupted" })
    await client.runs.delete(thread, run.run_id)
    await expect(client.runs.get(thread, run.run_id)).rejects.toThrow(/404/)
  })

  it("multitask: reject answers 409 on a busy thread; enqueue runs after the running one", async () => {
    const thread = newThread()
    const slow = await client.runs.create(thread, "slow::Slow", { input: { ms: 800 }, ifNotExists: "create" })
    await expect(client.runs.create(thread, "slow::Slow", { input: { ms: 1 } })).rejects.toThrow(/409/)
    const next = await client.runs.create(thread, "slow::Slow", { input: { ms: 5 }, multitaskStrategy: "enqueue" })
    expect(await client.runs.join(thread, next.run_id)).toMatchObject({ final: "slept 5" })
    const runs = await client.runs.list(thread)
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([
      [next.run_id, "success"],
      [slow.run_id, "success"]
    ])
    // the first ended before the second started: updated_at of the first ≤ that of the second
    expect(Date.parse(runs[1]!.updated_at)).toBeLessThanOrEqual(Date.parse(runs[0]!.updated_at))
  })

  it("new input on a finished thread runs it again from its last values", async () => {
    const thread = newThread()
    await client.runs.wait(thread, "hello::Hello", { input: { name: "Fy" }, ifNotExists: "create" })
    const again = await client.runs.wait(thread, "hello::Hello", { input: { name: "Gus" } })
    expect(again).toMatchObject({ name: "Gus", greeting: "Gus", final: "Gus" })
    // values the new input does not name are kept from the first leg
    const other = await client.runs.wait(thread, "approval::Approval", { input: { doc: "d" } })
    expect(other).toMatchObject({ final: "Gus", doc: "d", __interrupt__: [expect.anything()] })
    expect((await client.runs.list(thread)).map((r) => [r.assistant_id, r.status])).toEqual([
      ["approval::Approval", "interrupted"],
      ["hello::Hello", "success"],
      ["hello::Hello", "success"]
    ])
  })

  it("multitask interrupt cancels the running run and starts the new one", async () => {
    const thread = newThread()
    const slow = await client.runs.create(thread, "slow::Slow", { input: { ms: 60_000 }, ifNotExists: "create" })
    await expect.poll(async () => (await client.runs.get(thread, slow.run_id)).status).toBe("running")
    const values = await client.runs.wait(thread, "slow::Slow", { input: { ms: 3 }, multitaskStrategy: "interrupt" })
    expect(values).toMatchObject({ final: "slept 3" })
    expect(await client.runs.get(thread, slow.run_id)).toMatchObject({ status: "interrupted" })
  })

  it("a run that fails streams an error event, and runs.wait answers __error__ (the SDK throws it)", async () => {
    const events: Array<{ event: string; data: unknown }> = []
    for await (const part of client.runs.stream(null, "progress::Progress", { input: { items: 7 }, streamMode: "updates" })) events.push(part)
    expect(events[0]!.event).toBe("metadata")
    expect(events[events.length - 1]).toMatchObject({ event: "error", data: { error: expect.any(String), message: expect.any(String) } })
    await expect(client.runs.wait(null, "progress::Progress", { input: { items: 7 } })).rejects.toThrow(/:/)
    const raw = await client.runs.wait(null, "progress::Progress", { input: { items: 7 }, raiseError: false })
    expect(raw).toMatchObject({ __error__: { error: expect.any(String), message: expect.any(String) } })
  })

  it("joinStream of a finished run sends its metadata and final values", async () => {
    const thread = newThread()
    const run = await client.runs.create(thread, "hello::Hello", { input: { name: "Hu" }, ifNotExists: "create" })
    const events: Array<{ event: string; data: unknown }> = []
    for await (const part of client.runs.joinStream(thread, run.run_id)) events.push(part)
    expect(events).toEqual([
      { event: "metadata", data: { run_id: run.run_id, attempt: 1 } },
      { event: "values", data: expect.objectContaining({ final: "Hu" }) }
    ])
  })

  it("runs of another principal's thread are not found", async () => {
    const thread = newThread()
    await client.runs.wait(thread, "hello::Hello", { input: { name: "Ed" }, ifNotExists: "create" })
    const stranger = new Client({ apiUrl: server.url, apiKey: createKey(dir, "stranger") })
    await expect(stranger.runs.list(thread)).rejects.toThrow(/404/)
  })
})

describe.each([
  { name: "sqlite", config: "persistence:\n  backend: sqlite\n  sqlite_path: agentmap.db\n" },
  { name: "postgres", config: () => postgresConfig(schema) }
])("runs on $name persistence", ({ config }) => {
  it("are recorded where the threads are: create, join, list, then resume by command", async () => {
    const dir = workspace({ ...files, "agentmap_config.yaml": `paths:\n  csv_repository: workflows\n${typeof config === "string" ? config : config()}` })
    const key = createKey(dir, "sdk")
    const server = await startServer(dir)
    try {
      const client = new Client({ apiUrl: server.url, apiKey: key })
      const thread = crypto.randomUUID()
      const run = await client.runs.create(thread, "approval::Approval", { input: { doc: "p" }, ifNotExists: "create" })
      expect(await client.runs.join(thread, run.run_id)).toMatchObject({ doc: "p", __interrupt__: [expect.anything()] })
      expect(await client.runs.wait(thread, "approval::Approval", { command: { resume: { action: "approve" } } })).toMatchObject({ published: "p" })
      expect((await client.runs.list(thread)).map((r) => r.status)).toEqual(["success", "interrupted"])
    } finally {
      await server.stop()
    }
  })
})

describe("background runs beyond queue.max_pending", () => {
  it("answer 429 with Retry-After", async () => {
    const dir = workspace({ ...files, "agentmap_config.yaml": "paths:\n  csv_repository: workflows\nqueue:\n  max_pending: 1\n  concurrency: 1\n" })
    const key = createKey(dir, "sdk")
    const server = await startServer(dir)
    try {
      const client = new Client({ apiUrl: server.url, apiKey: key })
      const busy = await client.runs.create(null, "slow::Slow", { input: { ms: 60_000 } })
      await expect.poll(async () => (await client.runs.get(busy.thread_id, busy.run_id)).status).toBe("running")
      await client.runs.create(null, "slow::Slow", { input: { ms: 1 } })
      const refused = await call(`${server.url}/runs`, { method: "POST", key, body: JSON.stringify({ assistant_id: "slow::Slow", input: { ms: 1 } }) })
      expect([refused.status, refused.headers.get("retry-after"), refused.body["error"]]).toEqual([429, "1", "TooManyRequests"])
      await client.runs.cancel(busy.thread_id, busy.run_id)
    } finally {
      await server.stop()
    }
  })
})
