// Load for bench/langgraph.ts: the LangGraph Platform API requests of each scenario, a closed loop
// (N connections back to back), an open loop (requests leave on a clock schedule; latency counts from
// the scheduled time, so queueing is in it) and background pickup latency.
import * as http from "node:http"

export const ASSISTANT = "chain-3::C"
const input = { v0: "hello" }
const done = '"v3":"hello"'

interface Reply {
  readonly status: number
  readonly body: string
}

/** One HTTP request on a keep-alive agent; the body is read to its end (an SSE stream included). */
const send = (agent: http.Agent, base: string, key: string, method: string, path: string, body?: unknown) =>
  new Promise<Reply>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const headers: Record<string, string> = { "x-api-key": key, accept: "application/json, text/event-stream" }
    if (payload !== undefined) headers["content-type"] = "application/json"
    const req = http.request(`${base}${path}`, { method, agent, headers }, (res) => {
      let text = ""
      res.setEncoding("utf8")
      res.on("data", (d: string) => (text += d))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }))
      res.on("error", reject)
    })
    req.on("error", reject)
    req.end(payload)
  })

class Failed extends Error {}
const expect = (what: string, r: Reply, check?: (body: string) => boolean) => {
  if (r.status < 200 || r.status > 299) throw new Failed(`${what} HTTP ${r.status}`, { cause: r })
  if (check !== undefined && !check(r.body)) throw new Failed(`${what} unexpected body`, { cause: r })
  return r
}
const field = (body: string, name: string) => {
  const v = (JSON.parse(body) as Record<string, unknown>)[name]
  if (typeof v !== "string") throw new Failed(`no ${name} in ${body.slice(0, 120)}`)
  return v
}

export interface Scenario {
  readonly name: "wait" | "stream" | "background" | "execute"
  readonly title: string
  readonly route: string
  /** One unit of work (a whole run, all its requests); throws Failed on a wrong answer. */
  readonly run: (agent: http.Agent, base: string, key: string) => Promise<void>
}

const createBackground = async (agent: http.Agent, base: string, key: string) => {
  const thread = field(expect("POST /threads", await send(agent, base, key, "POST", "/threads", {})).body, "thread_id")
  const run = field(expect("POST /threads/{id}/runs", await send(agent, base, key, "POST", `/threads/${thread}/runs`, { assistant_id: ASSISTANT, input })).body, "run_id")
  return { thread, run }
}

export const scenarios: ReadonlyArray<Scenario> = [
  {
    name: "wait",
    title: "POST /runs/wait (stateless)",
    route: "POST /runs/wait",
    run: async (agent, base, key) => void expect("POST /runs/wait", await send(agent, base, key, "POST", "/runs/wait", { assistant_id: ASSISTANT, input }), (b) => b.includes(done))
  },
  {
    name: "stream",
    title: "POST /runs/stream (stream_mode values, read to the end)",
    route: "POST /runs/stream",
    run: async (agent, base, key) =>
      void expect("POST /runs/stream", await send(agent, base, key, "POST", "/runs/stream", { assistant_id: ASSISTANT, input, stream_mode: ["values"] }), (b) => b.includes("event: values") && b.includes(done))
  },
  {
    name: "background",
    title: "background: POST /threads + POST /threads/{id}/runs + GET …/join",
    route: "threads + runs + join",
    run: async (agent, base, key) => {
      const { thread, run } = await createBackground(agent, base, key)
      expect("GET …/join", await send(agent, base, key, "GET", `/threads/${thread}/runs/${run}/join`), (b) => b.includes(done))
    }
  },
  {
    name: "execute",
    title: "POST /execute/{graph_id}",
    route: "POST /execute",
    run: async (agent, base, key) => void expect("POST /execute", await send(agent, base, key, "POST", `/execute/${ASSISTANT}`, { state: input }), (b) => b.includes(done))
  }
]

/** undefined when the scenario works on this server, else why not ("route missing" on a 404). */
export const probe = async (base: string, key: string, scenario: Scenario): Promise<string | undefined> => {
  const agent = new http.Agent({ keepAlive: true })
  try {
    await scenario.run(agent, base, key)
    return undefined
  } catch (e) {
    const reply = (e as { cause?: Reply }).cause
    if (reply?.status === 404) return "route missing"
    return `${(e as Error).message}${reply !== undefined ? `: ${reply.body.slice(0, 160)}` : ""}`
  } finally {
    agent.destroy()
  }
}

export interface Measured {
  readonly seconds: number
  readonly ok: number
  readonly errors: number
  readonly causes: ReadonlySet<string>
  /** ms, sorted */
  readonly latencies: ReadonlyArray<number>
}

const cause = (e: unknown) => (e instanceof Failed ? e.message : ((e as NodeJS.ErrnoException).code ?? String(e)))

/** `connections` loops, each starting its next run as soon as the last one answered, for `seconds`. */
export const closedLoop = async (base: string, key: string, scenario: Scenario, connections: number, seconds: number): Promise<Measured> => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  const latencies: Array<number> = []
  const causes = new Set<string>()
  let errors = 0
  const started = performance.now()
  const until = started + seconds * 1000
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const at = performance.now()
        try {
          await scenario.run(agent, base, key)
          latencies.push(performance.now() - at)
        } catch (e) {
          errors++
          causes.add(cause(e))
        }
      }
    })
  )
  agent.destroy()
  return { seconds: (performance.now() - started) / 1000, ok: latencies.length, errors, causes, latencies: latencies.sort((a, b) => a - b) }
}

/** Run i is due at start + i/rate whatever happened before; its latency counts from then. */
export const openLoop = (base: string, key: string, scenario: Scenario, rate: number, seconds: number) =>
  new Promise<Measured>((resolve) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
    const latencies: Array<number> = []
    const causes = new Set<string>()
    const total = Math.max(1, Math.round(rate * seconds))
    let sent = 0
    let finished = 0
    let errors = 0
    const started = performance.now()
    const finish = () => {
      if (++finished < total) return
      agent.destroy()
      resolve({ seconds, ok: latencies.length, errors, causes, latencies: latencies.sort((a, b) => a - b) })
    }
    const fire = (due: number) =>
      scenario.run(agent, base, key).then(
        () => (latencies.push(performance.now() - due), finish()),
        (e: unknown) => (errors++, causes.add(cause(e)), finish())
      )
    const tick = () => {
      const now = performance.now()
      while (sent < total && started + (sent * 1000) / rate <= now) fire(started + (sent++ * 1000) / rate)
      if (sent < total) setTimeout(tick, 1)
    }
    tick()
  })

/**
 * Background pickup on an idle server, one run at a time: from the answer to `POST …/runs` to the
 * first `GET /threads/{id}/runs/{run_id}` that no longer says `pending` (resolution: one GET).
 */
export const pickup = async (base: string, key: string, count: number) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const times: Array<number> = []
  for (let i = 0; i < count; i++) {
    const { thread, run } = await createBackground(agent, base, key)
    const created = performance.now()
    for (;;) {
      const status = field(expect("GET run", await send(agent, base, key, "GET", `/threads/${thread}/runs/${run}`)).body, "status")
      if (status !== "pending") break
      if (performance.now() - created > 10_000) throw new Error(`run ${run} still pending after 10 s`)
    }
    times.push(performance.now() - created)
    expect("GET …/join", await send(agent, base, key, "GET", `/threads/${thread}/runs/${run}/join`))
  }
  agent.destroy()
  return times.sort((a, b) => a - b)
}

export const percentile = (sorted: ReadonlyArray<number>, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN
