// The load of bench/langgraph.ts against a fake LangGraph Platform API: the requests each scenario
// sends, what counts as a missing route or a wrong answer, and how runs are counted.
import * as http from "node:http"
import { afterEach, describe, expect, it } from "vitest"
import { closedLoop, openLoop, pickup, probe, scenarios } from "../../bench/programs/langgraph-load.js"

interface Seen {
  readonly method: string
  readonly url: string
  readonly key: string | undefined
  readonly body: unknown
}
interface Fake {
  readonly url: string
  readonly seen: Array<Seen>
}
const servers: Array<http.Server> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => (s.closeAllConnections(), s.close(done)))))
})

const final = { v0: "hello", v1: "hello", v2: "hello", v3: "hello" }
/** Answers like the LangGraph API; `answer` may override a request's reply. */
const fake = (answer: (s: Seen, n: number) => { status: number; body: string } | undefined = () => undefined) =>
  new Promise<Fake>((resolve) => {
    const seen: Array<Seen> = []
    const polls = new Map<string, number>()
    const server = http.createServer((req, res) => {
      let text = ""
      req.on("data", (d) => (text += d))
      req.on("end", () => {
        const s: Seen = { method: req.method!, url: req.url!, key: req.headers["x-api-key"] as string | undefined, body: text === "" ? undefined : JSON.parse(text) }
        seen.push(s)
        const custom = answer(s, seen.length)
        if (custom !== undefined) return void res.writeHead(custom.status, { "content-type": "application/json" }).end(custom.body)
        const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body))
        const url = s.url
        if (s.method === "POST" && url === "/runs/wait") return json(final)
        if (s.method === "POST" && url === "/runs/stream") {
          res.writeHead(200, { "content-type": "text/event-stream" })
          res.write(`event: metadata\ndata: {"run_id":"r"}\n\n`)
          return res.end(`event: values\ndata: ${JSON.stringify(final)}\n\n`)
        }
        if (s.method === "POST" && url === "/threads") return json({ thread_id: `t${seen.length}` })
        if (s.method === "POST" && /^\/threads\/[^/]+\/runs$/.test(url)) return json({ run_id: `r${seen.length}`, status: "pending" })
        if (s.method === "GET" && url.endsWith("/join")) return json(final)
        if (s.method === "GET" && /^\/threads\/[^/]+\/runs\/[^/]+$/.test(url)) {
          const n = (polls.get(url) ?? 0) + 1
          polls.set(url, n)
          return json({ status: n < 3 ? "pending" : "success" })
        }
        if (s.method === "POST" && url === "/execute/chain-3::C") return json({ status: "completed", outputs: final })
        res.writeHead(404).end("{}")
      })
    })
    servers.push(server)
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen }))
  })
const scenario = (name: string) => scenarios.find((s) => s.name === name)!

describe("bench/langgraph load", () => {
  it("sends the LangGraph API requests of each scenario, with the API key and assistant chain-3::C", async () => {
    const f = await fake()
    for (const s of scenarios) expect(await probe(f.url, "k1", s)).toBeUndefined()
    expect(f.seen.map((s) => `${s.method} ${s.url.replace(/\/t\d+/, "/T").replace(/\/r\d+/, "/R")}`)).toEqual([
      "POST /runs/wait",
      "POST /runs/stream",
      "POST /threads",
      "POST /threads/T/runs",
      "GET /threads/T/runs/R/join",
      "POST /execute/chain-3::C"
    ])
    expect(f.seen.every((s) => s.key === "k1")).toBe(true)
    expect(f.seen[0]!.body).toEqual({ assistant_id: "chain-3::C", input: { v0: "hello" } })
    expect(f.seen[1]!.body).toEqual({ assistant_id: "chain-3::C", input: { v0: "hello" }, stream_mode: ["values"] })
    expect(f.seen[3]!.body).toEqual({ assistant_id: "chain-3::C", input: { v0: "hello" } })
    expect(f.seen[5]!.body).toEqual({ state: { v0: "hello" } })
  })

  it("calls a 404 a missing route and names a wrong answer", async () => {
    const missing = await fake((s) => (s.url.startsWith("/threads") ? { status: 404, body: "{}" } : undefined))
    expect(await probe(missing.url, "k", scenario("background"))).toBe("route missing")
    const wrong = await fake(() => ({ status: 200, body: '{"v3":"other"}' }))
    expect(await probe(wrong.url, "k", scenario("wait"))).toMatch(/^POST \/runs\/wait unexpected body/)
    const failing = await fake(() => ({ status: 500, body: '{"error":"boom"}' }))
    expect(await probe(failing.url, "k", scenario("stream"))).toMatch(/^POST \/runs\/stream HTTP 500: .*boom/)
  })

  it("closed loop: counts good runs and errors with their cause", async () => {
    const f = await fake((_s, n) => (n % 2 === 0 ? { status: 503, body: "{}" } : undefined))
    const m = await closedLoop(f.url, "k", scenario("wait"), 2, 0.3)
    expect(m.ok).toBeGreaterThan(0)
    expect(m.errors).toBeGreaterThan(0)
    expect(m.ok + m.errors).toBe(f.seen.length)
    expect([...m.causes]).toEqual(["POST /runs/wait HTTP 503"])
    expect(m.latencies.length).toBe(m.ok)
  })

  it("open loop: sends rate × seconds runs whatever the answers", async () => {
    const f = await fake()
    const m = await openLoop(f.url, "k", scenario("background"), 40, 0.5)
    expect(m.ok).toBe(20)
    expect(m.errors).toBe(0)
    expect(f.seen.filter((s) => s.url === "/threads").length).toBe(20)
    expect(f.seen.filter((s) => s.url.endsWith("/join")).length).toBe(20)
  })

  it("pickup: polls the run until it is no longer pending, then joins it", async () => {
    const f = await fake()
    const times = await pickup(f.url, "k", 3)
    expect(times.length).toBe(3)
    const polls = f.seen.filter((s) => s.method === "GET" && !s.url.endsWith("/join"))
    expect(polls.length).toBe(9) // pending, pending, success for each run
    expect(f.seen.filter((s) => s.url.endsWith("/join")).length).toBe(3)
  })
})
