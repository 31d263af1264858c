// A bounded soak of `agentmap serve`: requests at a fixed rate on loopback for a fixed time, one
// run in ten suspends and is resumed, through a keep-alive client that pauses now and then for
// longer than Node's default 5 s idle timeout and then reuses its sockets. Every 10 s it prints
// requests, failures (by cause), p50/p99 latency, sockets reused and the server's RSS; at the end,
// whether memory levelled off.
//   node --import tsx bench/soak.ts [--minutes 10] [--rate 20] [--backend memory|sqlite] [--pause-every 60] [--pause 7]
//   (npm run bench:soak)
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    rate: { type: "string", default: "20" },
    backend: { type: "string", default: "memory" },
    "pause-every": { type: "string", default: "60" },
    pause: { type: "string", default: "7" }
  }
})
const minutes = Number(values.minutes)
const rate = Number(values.rate)
const pauseEvery = Number(values["pause-every"]) * 1000
const pauseFor = Number(values.pause) * 1000
const root = path.resolve(import.meta.dirname, "..")

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-soak-"))
fs.mkdirSync(path.join(dir, "workflows"))
fs.writeFileSync(path.join(dir, "workflows", "chain.csv"), "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge\nC,N0,echo,v0,v1,N1\nC,N1,echo,v1,v2,N2\nC,N2,echo,v2,v3,\n")
fs.writeFileSync(path.join(dir, "workflows", "wait.csv"), "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt\nW,Ask,suspend,,answer,Done,waiting\nW,Done,echo,answer,out,,\n")
// loopback only, so no key is needed (a memory store can hold none)
fs.writeFileSync(path.join(dir, "agentmap_config.yaml"), `auth:\n  enabled: false\npersistence:\n  backend: ${values.backend}\n`)

const server: { child: ChildProcess; port: number } = await new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [path.join(root, "bin", "agentmap.cjs"), "serve", "--port", "0"], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", HOME: dir } })
  let err = ""
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString()
    const m = /serving http:\/\/[^:]+:(\d+)/.exec(err)
    if (m !== null) resolve({ child, port: Number(m[1]) })
  })
  child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)))
})

const rssMiB = () => {
  const status = fs.readFileSync(`/proc/${server.child.pid}/status`, "utf8")
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

// the server's JS heap, sampled every second from /admin/diagnose: a window's lowest sample is
// close to what survives garbage collection (RSS also holds heap V8 keeps for later)
let heapFloor = Infinity
const sampler = setInterval(() => {
  http
    .get({ host: "127.0.0.1", port: server.port, path: "/admin/diagnose" }, (res) => {
      let text = ""
      res.on("data", (d: Buffer) => (text += d.toString()))
      res.on("end", () => {
        const used = (JSON.parse(text) as { memory?: { heap_used_bytes?: number } }).memory?.heap_used_bytes
        if (typeof used === "number") heapFloor = Math.min(heapFloor, used / 1048576)
      })
    })
    .on("error", () => undefined)
}, 1000)

// like Node's fetch, browsers and load balancers, the client drops a socket idle for long before the server's
// 65 s (http.keep_alive_timeout_seconds): a server closing a socket the client is reusing is the classic reset
const agent = new http.Agent({ keepAlive: true, maxSockets: 16, timeout: 30_000 })

interface Answer {
  readonly status: number
  readonly body: string
  readonly reused: boolean
}
const post = (route: string, body: unknown) =>
  new Promise<Answer>((resolve, reject) => {
    const payload = JSON.stringify(body)
    const req = http.request(
      { host: "127.0.0.1", port: server.port, path: route, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
      (res) => {
        let text = ""
        res.on("data", (d: Buffer) => (text += d.toString()))
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, reused: req.reusedSocket }))
        res.on("error", reject)
      }
    )
    req.on("error", reject)
    req.end(payload)
  })

interface Window {
  requests: number
  failures: Map<string, number>
  latencies: Array<number>
  reused: number
  reusedAfterPause: number
}
const fresh = (): Window => ({ requests: 0, failures: new Map(), latencies: [], reused: 0, reusedAfterPause: 0 })
let window = fresh()
let afterPause = false
const fail = (cause: string) => window.failures.set(cause, (window.failures.get(cause) ?? 0) + 1)

/** One unit of work: a 3-node run, or (one in ten) a run that suspends and then its resume. */
const work = async (n: number) => {
  const timed = async (route: string, body: unknown, expect: string) => {
    const started = performance.now()
    const firstAfterPause = afterPause
    afterPause = false
    try {
      const answer = await post(route, body)
      window.latencies.push(performance.now() - started)
      window.requests++
      if (answer.reused) window.reused++
      if (answer.reused && firstAfterPause) window.reusedAfterPause++
      const doc = JSON.parse(answer.body) as { status?: string; thread_id?: string }
      if (answer.status !== 200 || doc.status !== expect) fail(`HTTP ${answer.status} ${doc.status ?? answer.body.slice(0, 60)}`)
      return doc
    } catch (e) {
      window.requests++
      fail((e as NodeJS.ErrnoException).code ?? (e as Error).message)
      return undefined
    }
  }
  if (n % 10 !== 0) return void (await timed("/execute/chain", { state: { v0: `hello ${n}` } }, "completed"))
  const suspended = await timed("/execute/wait", { state: {} }, "suspended")
  if (suspended?.thread_id !== undefined) await timed(`/resume/${suspended.thread_id}`, { action: "continue", data: { n } }, "completed")
}

const percentile = (xs: ReadonlyArray<number>, p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

console.log(`soak: ${minutes} min at ${rate} runs/s (1 in 10 suspends and is resumed), backend ${values.backend}, pauses of ${pauseFor / 1000} s every ${pauseEvery / 1000} s; server pid ${server.child.pid}\n`)
console.log("   time  requests  failed  p50 ms  p99 ms  reused  reused after pause  RSS MiB  heap floor MiB")
const rows: Array<{ t: number; rss: number; heap: number; failed: number; requests: number }> = []
const started = Date.now()
const inFlight = new Set<Promise<void>>()
const report = setInterval(() => {
  const t = Math.round((Date.now() - started) / 1000)
  const failed = [...window.failures.values()].reduce((a, b) => a + b, 0)
  const rss = rssMiB()
  const heap = heapFloor
  heapFloor = Infinity
  rows.push({ t, rss, heap, failed, requests: window.requests })
  const causes = failed > 0 ? `  ${[...window.failures].map(([c, k]) => `${c} x${k}`).join(", ")}` : ""
  console.log(
    `${String(t).padStart(5)} s  ${String(window.requests).padStart(8)}  ${String(failed).padStart(6)}  ${percentile(window.latencies, 50).toFixed(1).padStart(6)}  ${percentile(window.latencies, 99).toFixed(1).padStart(6)}  ${String(window.reused).padStart(6)}  ${String(window.reusedAfterPause).padStart(18)}  ${rss.toFixed(0).padStart(7)}  ${heap.toFixed(1).padStart(14)}${causes}`
  )
  window = fresh()
}, 10_000)

// open loop: a run leaves every 1/rate s whatever the earlier ones are doing; now and then the client goes quiet
let n = 0
const deadline = started + minutes * 60_000
let nextPause = started + pauseEvery
while (Date.now() < deadline) {
  if (Date.now() >= nextPause) {
    await Promise.all(inFlight)
    await new Promise((resolve) => setTimeout(resolve, pauseFor))
    afterPause = true
    nextPause = Date.now() + pauseEvery
  }
  const job = work(n++).finally(() => inFlight.delete(job))
  inFlight.add(job)
  await new Promise((resolve) => setTimeout(resolve, 1000 / rate))
}
await Promise.all(inFlight)
clearInterval(report)

const total = rows.reduce((a, r) => a + r.requests, 0)
const failed = rows.reduce((a, r) => a + r.failed, 0)
const third = Math.max(1, Math.floor(rows.length / 3))
const mean = (rs: ReadonlyArray<{ rss: number; heap: number }>, key: "rss" | "heap") => {
  const xs = rs.map((r) => r[key]).filter(Number.isFinite)
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
}
const perMinute = (a: number, b: number) => ((b - a) / Math.max(1, (third * 10) / 60)).toFixed(1)
const [rssMiddle, rssLast] = [mean(rows.slice(third, 2 * third), "rss"), mean(rows.slice(-third), "rss")]
const [heapMiddle, heapLast] = [mean(rows.slice(third, 2 * third), "heap"), mean(rows.slice(-third), "heap")]
console.log(`\n${total} requests, ${failed} failed`)
console.log(`RSS        mean ${rssMiddle.toFixed(0)} MiB in the middle third, ${rssLast.toFixed(0)} MiB in the last (${perMinute(rssMiddle, rssLast)} MiB/min)`)
console.log(`heap floor mean ${heapMiddle.toFixed(1)} MiB in the middle third, ${heapLast.toFixed(1)} MiB in the last (${perMinute(heapMiddle, heapLast)} MiB/min)`)
console.log(Math.abs(heapLast - heapMiddle) <= Math.max(5, heapMiddle * 0.05) ? "memory levels off (the live heap does not grow)" : "memory still grows")
clearInterval(sampler)
server.child.kill("SIGTERM")
agent.destroy()
fs.rmSync(dir, { recursive: true, force: true })
