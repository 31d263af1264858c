import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import * as net from "node:net"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningServer, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge,Prompt"
// three times http.max_body_bytes (1 MiB here), as 30 MiB is to the default 10 MiB
const OVER = 3 * 1024 * 1024

/** curl's view of a request: the status it read, or its own exit code when it read none. */
const curl = (args: ReadonlyArray<string>) =>
  new Promise<string>((resolve) => {
    const child = spawn("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", ...args])
    let out = ""
    child.stdout.on("data", (d: Buffer) => (out += d.toString()))
    child.on("close", (code) => resolve(code === 0 ? out : `curl exit ${code}`))
  })

/** One GET through `agent`: the status and whether it went over a socket an earlier request had used. */
const get = (agent: http.Agent, url: string) =>
  new Promise<{ status: number; reused: boolean; keepAlive: string | undefined }>((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume()
      res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, keepAlive: res.headers["keep-alive"] as string | undefined }))
    })
    req.on("error", reject)
  })

describe("connections under the server's control", () => {
  let server: RunningServer
  let dir: string
  beforeAll(async () => {
    dir = workspace({ "workflows/echo.csv": `${HEADER}\nE,A,echo,,out,,hi\n`, "agentmap_config.yaml": "auth:\n  enabled: false\nhttp:\n  max_body_bytes: 1048576\n" })
    server = await startServer(dir)
  })
  afterAll(() => server.stop())

  it("answers a body over http.max_body_bytes with 413 that Node's fetch and curl both read, 20 times out of 20", async () => {
    const body = Buffer.alloc(OVER, 0x61)
    const file = path.join(dir, "big.json")
    fs.writeFileSync(file, body)
    const statuses: Array<string> = []
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${server.url}/execute/echo`, { method: "POST", headers: { "content-type": "application/json" }, body }).then(
        async (res) => `${res.status} ${((await res.json()) as { error: string }).error}`,
        (e: Error) => `fetch failed: ${String((e.cause as Error | undefined)?.message ?? e.message)}`
      )
      statuses.push(r)
    }
    expect(statuses).toEqual(Array.from({ length: 20 }, () => "413 PayloadTooLarge"))
    const curled: Array<string> = []
    for (let i = 0; i < 20; i++) curled.push(await curl(["-X", "POST", "--data-binary", `@${file}`, "-H", "content-type: application/json", `${server.url}/execute/echo`]))
    expect(curled).toEqual(Array.from({ length: 20 }, () => "413"))
  }, 120_000)

  it("also reads the 413 of a body sent without a length (chunked), and the connection serves the next request", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 4) return controller.close()
        sent++
        controller.enqueue(chunk)
      }
    })
    const res = await fetch(`${server.url}/execute/echo`, { method: "POST", body: stream, duplex: "half" } as RequestInit & { duplex: "half" })
    expect(res.status).toBe(413)
    await res.arrayBuffer()
    expect((await fetch(`${server.url}/health`)).status).toBe(200)
  })

  it("answers what Node's parser refuses (an unknown method, oversized headers) with a JSON problem document too", async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1", () => socket.end(text))
        let answer = ""
        socket.on("data", (d: Buffer) => (answer += d.toString()))
        socket.on("close", () => resolve(answer))
        socket.on("error", reject)
      })
    const method = await raw("BREW /execute/echo HTTP/1.1\r\nHost: x\r\n\r\n")
    expect(method.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request")
    expect(JSON.parse(method.slice(method.indexOf("\r\n\r\n") + 4))).toMatchObject({ error: "BadRequest", message: expect.stringContaining("not valid HTTP/1.1") })
    const headers = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`)
    expect(headers.split("\r\n")[0]).toBe("HTTP/1.1 431 Request Header Fields Too Large")
    expect(JSON.parse(headers.slice(headers.indexOf("\r\n\r\n") + 4))).toMatchObject({ error: "HeadersTooLarge" })
  })

  it("keeps an idle connection open longer than Node's default 5 s, and says so in Keep-Alive", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const first = await get(agent, `${server.url}/health`)
      expect([first.status, first.reused, first.keepAlive]).toEqual([200, false, "timeout=65"])
      await new Promise((resolve) => setTimeout(resolve, 5_500))
      const again = await get(agent, `${server.url}/health`)
      expect([again.status, again.reused]).toEqual([200, true])
    } finally {
      agent.destroy()
    }
  })
})

describe("http.keep_alive_timeout_seconds", () => {
  it("sets how long an idle connection stays open", async () => {
    const dir = workspace({ "agentmap_config.yaml": "auth:\n  enabled: false\nhttp:\n  keep_alive_timeout_seconds: 1\n" })
    const server = await startServer(dir)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      expect((await get(agent, `${server.url}/health`)).keepAlive).toBe("timeout=1")
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      // the server closed it: the agent opens a new one
      expect((await get(agent, `${server.url}/health`)).reused).toBe(false)
    } finally {
      agent.destroy()
      await server.stop()
    }
  })
})
