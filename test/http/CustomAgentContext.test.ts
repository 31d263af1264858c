import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningServer, createKey, startServer } from "../support/server.js"
import { readEvents } from "../support/sse.js"
import { workspace } from "../support/workspace.js"

const header = "graph_name,node_name,agent_type,input_fields,output_field,prompt,context,success_next,failure_next"

/**
 * The parts of a custom agent's `ctx` a host sees from outside the run: `emit` (a `custom` SSE
 * event), `log` (a line in the server's log with node and thread) and `signal` (fires when the run
 * is stopped: here, the server shutting down with a run still going after its grace period).
 */
const project = () =>
  workspace({
    "agentmap_config.yaml": "paths:\n  csv_repository: workflows\nlogging:\n  level: info\nhttp:\n  shutdown_grace_seconds: 0.2\n",
    "workflows/progress.csv": [header, "Progress,Count,counter,items,total,,,Done,", "Progress,Done,echo,total,final,Counted {total},,,"].join("\n"),
    "custom_agents/counter.ts": [
      `import { defineAgent } from "agentmap"`,
      `export default defineAgent({`,
      `  run: (ctx) => {`,
      `    const items = ctx.inputs["items"] as Array<string>`,
      `    items.forEach((item, i) => ctx.emit({ done: i + 1, of: items.length, item }))`,
      `    ctx.log.info("counted the items", { count: items.length })`,
      `    return items.length`,
      `  }`,
      `})`
    ].join("\n"),
    "workflows/forever.csv": [header, "Forever,Wait,waiter,,result,,,,"].join("\n"),
    "custom_agents/waiter.ts": [
      `import * as fs from "node:fs"`,
      `import { defineAgent } from "agentmap"`,
      `export default defineAgent({`,
      `  run: (ctx) =>`,
      `    new Promise((_resolve, reject) => {`,
      `      ctx.signal.addEventListener("abort", () => {`,
      `        fs.writeFileSync("stopped.txt", "node " + ctx.node.name + " of thread " + ctx.graph.threadId + " was stopped")`,
      `        reject(new Error("stopped"))`,
      `      }, { once: true })`,
      `      ctx.log.warn("waiting until stopped")
      ctx.emit("waiting")`,
      `    })`,
      `})`
    ].join("\n")
  })

describe("a custom agent's ctx as seen from a server", () => {
  let dir: string
  let server: RunningServer
  let key: string
  beforeAll(async () => {
    dir = project()
    key = createKey(dir, "ctx")
    server = await startServer(dir)
  })
  afterAll(async () => {
    await server?.stop()
  })

  const stream = (workflow: string, state: Record<string, unknown>) =>
    fetch(`${server.url}/execute/${workflow}/stream`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body: JSON.stringify({ state }) })

  it("ctx.emit sends a custom event per call, before the node's event; ctx.log writes a line with the node and the thread", async () => {
    const { frames } = await readEvents(await stream("progress", { items: ["a", "b"] }))
    const events = frames.filter((f) => !f.comment)
    expect(events.map((f) => f.event)).toEqual(["custom", "custom", "node", "node", "completed"])
    expect(events[0]!.data).toEqual({ node: "Count", data: { done: 1, of: 2, item: "a" } })
    expect(events[1]!.data).toEqual({ node: "Count", data: { done: 2, of: 2, item: "b" } })
    const result = events.at(-1)!.data as { thread_id: string; outputs: Record<string, unknown> }
    expect(result.outputs["final"]).toBe("Counted 2")
    // serve logs JSON lines on stdout when it is not a terminal
    const line = server
      .stdout()
      .split("\n")
      .filter((l) => l.includes("counted the items"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)[0]
    expect(line).toMatchObject({ level: "INFO", message: "counted the items", node: "Count", thread_id: result.thread_id, graph: "Progress", count: 2 })
  })

  /** Waits (no deadline of its own: the test's timeout is the limit) until the condition holds. */
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const waiting = () => server.stdout().split("\n").filter((l) => l.includes("waiting until stopped")).length

  it("ctx.signal fires when the client of a (not streamed) run disconnects", async () => {
    const before = waiting()
    const client = new AbortController()
    const answer = fetch(`${server.url}/execute/forever`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body: "{}", signal: client.signal }).catch((e: Error) => e.name)
    await until(() => waiting() > before)
    client.abort()
    expect(await answer).toBe("AbortError")
    // writeFileSync creates the file before it writes: wait for its text, not only for the file
    await until(() => fs.existsSync(path.join(dir, "stopped.txt")) && fs.readFileSync(path.join(dir, "stopped.txt"), "utf8") !== "")
    expect(fs.readFileSync(path.join(dir, "stopped.txt"), "utf8")).toMatch(/^node Wait of thread [0-9a-f-]{36} was stopped$/)
    fs.rmSync(path.join(dir, "stopped.txt"))
  })

  it("ctx.signal fires when the server shuts down with a streamed run still going after the grace period", async () => {
    const { frames } = await readEvents(await stream("forever", {}), (f) => f.event === "custom")
    expect(frames.filter((f) => !f.comment).map((f) => [f.event, f.data])).toEqual([["custom", { node: "Wait", data: "waiting" }]])
    await server.stop()
    expect(fs.readFileSync(path.join(dir, "stopped.txt"), "utf8")).toMatch(/^node Wait of thread [0-9a-f-]{36} was stopped$/)
  })
})
