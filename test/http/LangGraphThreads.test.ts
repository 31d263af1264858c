import { Client } from "@langchain/langgraph-sdk"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentmap } from "../support/cli.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt"
const files = {
  "workflows/greet.csv": `${HEADER}\nGreet,Hello,echo,,,,name,greeting,\nOther,Only,default,,,,,out,\n`,
  "workflows/team/sales.csv": `${HEADER}\nQualify,Check,default,,Yes,No,lead,qualified,qualify\nQualify,Yes,echo,,,,qualified,won,\nQualify,No,echo,,,,qualified,lost,\n`,
  "workflows/wait.csv": `${HEADER}\nW,Hold,suspend,After,,,,answer,hold on\nW,After,echo,,,,answer,done,\n`
}

let server: RunningServer
let key: string
let other: string
let client: Client
let otherClient: Client

beforeAll(async () => {
  const dir = workspace(files)
  expect(agentmap(["serve", "--port", "0"], { cwd: dir }).stderr).toContain("agentmap auth generate-key")
  key = createKey(dir, "runner")
  other = createKey(dir, "someone-else")
  server = await startServer(dir)
  client = new Client({ apiUrl: server.url, apiKey: key })
  otherClient = new Client({ apiUrl: server.url, apiKey: other })
})
afterAll(async () => {
  await server?.stop()
})

const execute = (path: string, body: unknown) => call(`${server.url}${path}`, { method: "POST", body: JSON.stringify(body), key })
const status = (e: unknown) => (e as { status?: number }).status

describe("assistants through the official SDK", () => {
  it("finds one assistant per graph, filters by graph id, pages", async () => {
    const all = await client.assistants.search({ limit: 100 })
    expect(all.map((a) => a.assistant_id).sort()).toEqual(["greet::Greet", "greet::Other", "team/sales::Qualify", "wait::W"])
    expect(all.every((a) => a.graph_id === a.assistant_id)).toBe(true)
    const one = await client.assistants.search({ graphId: "team/sales::Qualify" })
    expect(one.map((a) => [a.assistant_id, a.name, a.metadata])).toEqual([
      ["team/sales::Qualify", "Qualify", { workflow: "team/sales", graph: "Qualify", assistant_uuid: one[0]!.metadata!["assistant_uuid"] }]
    ])
    expect((await client.assistants.search({ limit: 1, offset: 1 })).length).toBe(1)
    expect(await client.assistants.count()).toBe(4)
  })

  it("gets an assistant by workflow::Graph and by its UUID", async () => {
    const byName = await client.assistants.get("team/sales::Qualify")
    const uuid = byName.metadata!["assistant_uuid"] as string
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    const byUuid = await client.assistants.get(uuid)
    expect([byUuid.assistant_id, byUuid.version, byUuid.config]).toEqual(["team/sales::Qualify", 1, {}])
    expect((await client.assistants.get("greet")).assistant_id).toBe("greet::Greet")
  })

  it("draws the graph with __start__, __end__ and conditional success/failure edges", async () => {
    const graph = await client.assistants.getGraph("team/sales::Qualify")
    expect(graph.nodes.map((n) => n.id)).toEqual(["__start__", "Check", "Yes", "No", "__end__"])
    expect(graph.edges).toEqual([
      { source: "__start__", target: "Check", conditional: false },
      { source: "Check", target: "Yes", conditional: true, data: "success" },
      { source: "Check", target: "No", conditional: true, data: "failure" },
      { source: "Yes", target: "__end__", conditional: false },
      { source: "No", target: "__end__", conditional: false }
    ])
  })

  it("answers the schemas from the CSV's fields", async () => {
    const schemas = await client.assistants.getSchemas("greet::Greet")
    expect(schemas.graph_id).toBe("greet::Greet")
    expect(Object.keys((schemas.input_schema as { properties: object }).properties)).toEqual(["name"])
    expect(Object.keys((schemas.output_schema as { properties: object }).properties)).toEqual(["greeting"])
    expect(Object.keys((schemas.state_schema as { properties: object }).properties).sort()).toEqual(["greeting", "name"])
  })

  it("answers an unknown assistant with a 404 problem", async () => {
    await expect(client.assistants.get("nope::Nothing")).rejects.toSatisfy((e) => status(e) === 404)
    const r = await call(`${server.url}/assistants/nope::Nothing`, { key })
    expect([r.status, r.body["error"], typeof r.body["message"]]).toEqual([404, "WorkflowNotFound", "string"])
  })
})

describe("threads through the official SDK", () => {
  it("creates, reads, updates, searches and deletes an empty thread", async () => {
    const created = await client.threads.create({ metadata: { owner: "lg-test", n: 1 } })
    expect([created.status, created.values, created.interrupts, created.metadata]).toEqual(["idle", {}, {}, { owner: "lg-test", n: 1 }])
    const got = await client.threads.get(created.thread_id)
    expect(got.thread_id).toBe(created.thread_id)
    await expect(client.threads.create({ threadId: created.thread_id })).rejects.toSatisfy((e) => status(e) === 409)
    expect((await client.threads.create({ threadId: created.thread_id, ifExists: "do_nothing" })).thread_id).toBe(created.thread_id)
    const updated = await client.threads.update(created.thread_id, { metadata: { n: 2 } })
    expect(updated.metadata).toEqual({ owner: "lg-test", n: 2 })
    const found = await client.threads.search({ metadata: { owner: "lg-test" } })
    expect(found.map((t) => t.thread_id)).toEqual([created.thread_id])
    expect((await client.threads.search({ metadata: { owner: "lg-test" }, status: "idle" })).length).toBe(1)
    expect((await client.threads.search({ metadata: { owner: "lg-test" }, status: "busy" })).length).toBe(0)
    await client.threads.delete(created.thread_id)
    await expect(client.threads.get(created.thread_id)).rejects.toSatisfy((e) => status(e) === 404)
    await expect(client.threads.delete(created.thread_id)).rejects.toSatisfy((e) => status(e) === 404)
  })

  it("shows a thread /execute made: values are its outputs, it is searchable", async () => {
    const run = await execute("/execute/greet::Greet", { state: { name: "Ada" }, thread_id: "lg-exec-1" })
    expect(run.body["status"]).toBe("completed")
    const thread = await client.threads.get("lg-exec-1")
    expect([thread.status, (thread as unknown as { workflow: string }).workflow, thread.metadata?.["graph_id"]]).toEqual(["completed", "greet::Greet", "greet::Greet"])
    expect(thread.values).toEqual(run.body["outputs"])
    const state = await client.threads.getState("lg-exec-1")
    expect([state.values, state.next, state.tasks]).toEqual([run.body["outputs"], [], []])
    expect(state.checkpoint.thread_id).toBe("lg-exec-1")
    const done = await client.threads.search({ status: "idle", limit: 100 })
    expect(done.map((t) => t.thread_id)).toContain("lg-exec-1")
    expect((await client.threads.search({ metadata: { graph_id: "greet::Greet" } })).map((t) => t.thread_id)).toContain("lg-exec-1")
  })

  it("shows a suspended thread's interrupt in get and getState", async () => {
    const run = await execute("/execute/wait", { state: {}, thread_id: "lg-wait-1" })
    expect(run.body["status"]).toBe("suspended")
    const thread = await client.threads.get("lg-wait-1")
    expect(thread.status).toBe("suspended")
    const [taskId, list] = Object.entries(thread.interrupts)[0]!
    expect(list).toEqual([{ value: { node: "Hold", type: "suspend", payload: expect.anything() }, id: taskId }])
    const state = await client.threads.getState("lg-wait-1")
    expect(state.next).toEqual(["Hold"])
    expect(state.tasks[0]!.name).toBe("Hold")
    expect(state.tasks[0]!.interrupts).toEqual(list)
    expect((await client.threads.search({ status: "interrupted", limit: 100 })).map((t) => t.thread_id)).toContain("lg-wait-1")
    expect((await client.threads.search({ status: "suspended" as never, limit: 100 })).map((t) => t.thread_id)).toContain("lg-wait-1")
  })

  it("writes state that getState shows, and lists the history newest first", async () => {
    await execute("/execute/greet::Greet", { state: { name: "Bo" }, thread_id: "lg-hist-1" })
    const first = await client.threads.updateState("lg-hist-1", { values: { note: "one" }, asNode: "Hello" })
    const second = await client.threads.updateState("lg-hist-1", { values: { note: "two" } })
    expect(first.configurable!["checkpoint_id"]).not.toBe(second.configurable!["checkpoint_id"])
    const state = await client.threads.getState("lg-hist-1")
    expect(state.values).toMatchObject({ note: "two", greeting: expect.anything() })
    expect(state.checkpoint.checkpoint_id).toBe(second.configurable!["checkpoint_id"])
    expect(state.parent_checkpoint?.checkpoint_id).toBe(first.configurable!["checkpoint_id"])
    const history = await client.threads.getHistory<Record<string, unknown>>("lg-hist-1")
    expect(history.map((s) => (s.values as Record<string, unknown>)["note"] ?? null)).toEqual(["two", "one", null])
    expect(history[0]!.checkpoint.checkpoint_id).toBe(second.configurable!["checkpoint_id"])
    expect((await client.threads.getHistory("lg-hist-1", { limit: 1 })).length).toBe(1)
    const raw = await call(`${server.url}/threads/lg-hist-1/state`, { method: "POST", body: JSON.stringify({ values: { note: "three" } }), key })
    expect((raw.body["checkpoint"] as Record<string, unknown>)["thread_id"]).toBe("lg-hist-1")
    expect((await client.threads.getState<Record<string, unknown>>("lg-hist-1")).values["note"]).toBe("three")
    const older = await client.threads.getHistory("lg-hist-1", { before: { configurable: { checkpoint_id: second.configurable!["checkpoint_id"] } } })
    expect(older.map((s) => (s.values as Record<string, unknown>)["note"] ?? null)).toEqual(["one", null])
  })

  it("hides another key's threads: 404 for get, state, update and delete; absent from search", async () => {
    const mine = await client.threads.create({ metadata: { secret: "yes" } })
    await execute("/execute/greet::Greet", { state: { name: "Cy" }, thread_id: "lg-mine-run" })
    for (const id of [mine.thread_id, "lg-mine-run"]) {
      await expect(otherClient.threads.get(id)).rejects.toSatisfy((e) => status(e) === 404)
      await expect(otherClient.threads.getState(id)).rejects.toSatisfy((e) => status(e) === 404)
      await expect(otherClient.threads.update(id, { metadata: { x: 1 } })).rejects.toSatisfy((e) => status(e) === 404)
      await expect(otherClient.threads.delete(id)).rejects.toSatisfy((e) => status(e) === 404)
    }
    expect(await otherClient.threads.search({ metadata: { secret: "yes" } })).toEqual([])
    expect((await client.threads.get(mine.thread_id)).thread_id).toBe(mine.thread_id)
  })

  it("the existing thread route keeps its fields and lists the routes in the OpenAPI document", async () => {
    const r = await call(`${server.url}/threads/lg-exec-1`, { key })
    expect(Object.keys(r.body)).toEqual(expect.arrayContaining(["workflow", "graph", "status", "interrupt", "result", "metadata", "values", "interrupts"]))
    const doc = (await call(`${server.url}/openapi.json`)).body as { paths: Record<string, object> }
    for (const p of ["/assistants/search", "/assistants/{assistant_id}/graph", "/threads", "/threads/search", "/threads/{thread_id}/state", "/threads/{thread_id}/history"])
      expect(Object.keys(doc.paths)).toContain(p)
  })
})
