import { type ChildProcess, spawn } from "node:child_process"
import { BIN, agentmap, json } from "./cli.js"

export interface RunningServer {
  readonly url: string
  readonly process: ChildProcess
  /** Everything the server wrote to stderr so far. */
  readonly stderr: () => string
  /** Everything the server wrote to stdout so far (its log lines: `serve` logs to stdout). */
  readonly stdout: () => string
  /** SIGTERM, then wait for the exit code. */
  readonly stop: () => Promise<number | null>
}

/** Servers started since the current test began, or still running: their logs are printed when it fails (test/support/testHooks.ts). */
export const serversOfThisTest: Array<{ readonly args: ReadonlyArray<string>; readonly running: () => boolean; readonly stderr: () => string; readonly stdout: () => string }> = []

/** Starts `agentmap serve --port 0` in `cwd` and waits until it listens (a real server over loopback). */
export const startServer = (cwd: string, args: ReadonlyArray<string> = [], env: Record<string, string> = {}): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], {
      cwd,
      env: { PATH: process.env["PATH"] ?? "", HOME: cwd, NO_COLOR: "1", ...env }
    })
    let err = ""
    let out = ""
    let resolved = false
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)))
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString()
      const m = /serving (http:\/\/[^\s]+)/.exec(err)
      if (m !== null && !resolved) {
        resolved = true
        resolve({
          url: m[1]!,
          process: child,
          stderr: () => err,
          stdout: () => out,
          stop: () => {
            child.kill("SIGTERM")
            return exited
          }
        })
      }
    })
    child.stdout.on("data", (d: Buffer) => void (out += d.toString()))
    serversOfThisTest.push({ args, running: () => child.exitCode === null && child.signalCode === null, stderr: () => err, stdout: () => out })
    void exited.then((code) => {
      if (!resolved) reject(new Error(`server exited ${code} before listening:\n${err}`))
    })
    setTimeout(() => {
      if (!resolved) {
        child.kill("SIGKILL")
        reject(new Error(`server did not start:\n${err}`))
      }
    }, 30_000)
  })

/** Creates an API key with the CLI and returns it. */
export const createKey = (cwd: string, name: string, permissions = "read,execute", env: Record<string, string> = {}) => {
  const r = agentmap(["auth", "generate-key", "--name", name, "--permissions", permissions, "--json"], { cwd, env })
  if (r.status !== 0) throw new Error(r.stderr + r.stdout)
  return json(r)["key"] as string
}

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly body: Record<string, unknown>
  readonly text: string
}

/** One HTTP request with a plain client; the body parsed as JSON when it is JSON. */
export const call = async (url: string, init: RequestInit & { readonly key?: string } = {}): Promise<Reply> => {
  const headers = new Headers(init.headers)
  if (init.key !== undefined) headers.set("x-api-key", init.key)
  if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json")
  const response = await fetch(url, { ...init, headers })
  const text = await response.text()
  let body: Record<string, unknown> = {}
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    body = {}
  }
  return { status: response.status, headers: response.headers, body, text }
}
