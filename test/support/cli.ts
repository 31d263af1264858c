import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
export const BIN = path.join(ROOT, "bin", "agentmap.cjs")

export interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the real `agentmap` command (the bundle `npm install` builds) in `cwd`, isolated from the caller's AGENTMAP_* settings. */
export const agentmap = (args: ReadonlyArray<string>, options: { cwd: string; env?: Record<string, string>; input?: string }): CliResult => {
  if (!fs.existsSync(path.join(ROOT, "dist", "cli.cjs"))) throw new Error("dist/cli.cjs is missing: run `npm run build` (npm test does it)")
  const env: Record<string, string> = { PATH: process.env["PATH"] ?? "", HOME: options.cwd, NO_COLOR: "1" }
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...env, ...options.env },
    encoding: "utf8",
    input: options.input ?? "",
    timeout: 60_000
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Parses stdout as exactly one JSON document (fails if there is anything else on it). */
export const json = (r: CliResult): Record<string, unknown> => JSON.parse(r.stdout) as Record<string, unknown>

/** `node ARGS` without blocking this process's event loop (a long build in a test must let vitest's worker answer its calls). */
export const nodeAsync = (args: ReadonlyArray<string>, options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMillis?: number }): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMillis ?? 60_000)
    child.on("error", reject)
    child.on("close", (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })

/** `agentmap` without blocking this process (for tests whose fake servers run in it). */
export const agentmapAsync = (args: ReadonlyArray<string>, options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> =>
  nodeAsync([BIN, ...args], { cwd: options.cwd, env: { PATH: process.env["PATH"] ?? "", HOME: options.cwd, NO_COLOR: "1", ...options.env } })
