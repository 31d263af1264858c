import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { readEvents } from "../support/sse.js"
import { workspace } from "../support/workspace.js"

describe("streaming runs over Server-Sent Events", () => {
  let server: RunningServer
  let key: string
  beforeAll(async () => {
    const dir = workspace({
      "agentmap_config.yaml": "http:\n  heartbeat_seconds: 0.1\n",
      // an async routing function that takes 800 ms: the node "Slow" finishes late without blocking the server
      "functions/slowly.mjs": "export const slowly = async () => { await new Promise((r) => setTimeout(r, 800)); return 'Last' }\n",
      "workflows/slow.csv": [
        "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt",
        "S,Fast,echo,topic,first,Slow,",
        "S,Slow,default,,second,func:slowly,",
        "S,Last,echo,first,third,,",
        ""
      ].join("\n"),
      "workflows/wait.csv": "GraphName,Node,AgentType,Output_Field,Edge\nW,Hold,suspend,answer,\n"
    })
    key = createKey(dir, "streamer")
    server = await startServer(dir)
  })
  afterAll(async () => {
    await server?.stop()
  })

  const open = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body: JSON.stringify(body) })

  it("sends each node as it finishes, heartbeats while idle, exactly one final event, then closes", async () => {
    const response = await open("/execute/slow/stream", { state: { topic: "tea" } })
    expect(response.headers.get("content-type")).toContain("text/event-stream")
    const { frames, ended } = await readEvents(response)
    expect(ended).toBe(true)
    const events = frames.filter((f) => !f.comment)
    expect({ events: events.map((f) => f.event), last: events[events.length - 1]!.data }).toMatchObject({ events: ["node", "node", "node", "completed"] })
    expect(events[0]!.data).toEqual({ node: "Fast", update: { first: "tea" }, duration_ms: expect.any(Number) })
    // the first node's event arrived while the slow node was still running
    expect(events[3]!.at - events[0]!.at).toBeGreaterThanOrEqual(600)
    expect(frames.filter((f) => f.comment && f.at > events[0]!.at && f.at < events[1]!.at).length).toBeGreaterThan(0)
    expect(events[3]!.data).toMatchObject({ status: "completed", outputs: { third: "tea" } })
  })

  it("ends with a suspended event for a run that suspends", async () => {
    const { frames } = await readEvents(await open("/execute/wait/stream", {}))
    const events = frames.filter((f) => !f.comment)
    expect(events.map((f) => f.event)).toEqual(["suspended"])
    expect(events[0]!.data).toMatchObject({ status: "suspended", interrupt: { node: "Hold", type: "suspend" } })
  })

  it("answers a bad request with an ordinary JSON error, not a stream", async () => {
    const r = await open("/execute/nope/stream", {})
    expect([r.status, r.headers.get("content-type")]).toEqual([404, expect.stringContaining("application/json")])
  })

  it("keeps running when the client disconnects: the run completes and stays readable", async () => {
    const threadId = `disconnect-${Date.now()}`
    const { frames, ended } = await readEvents(await open("/execute/slow/stream", { state: { topic: "x" }, thread_id: threadId }), (f) => f.event === "node")
    expect([ended, frames.filter((f) => !f.comment).length]).toEqual([false, 1])
    let status: unknown
    for (let i = 0; i < 40 && status !== "completed"; i++) {
      await new Promise((r) => setTimeout(r, 100))
      status = (await call(`${server.url}/threads/${threadId}`, { key })).body["status"]
    }
    expect(status).toBe("completed")
  })
})
