import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { buildSync } from "esbuild"
import { ROOT } from "./cli.js"

export interface RunningExample {
  readonly url: string
  readonly process: ChildProcess
  readonly stop: () => Promise<void>
}

/**
 * Boots an example host app as its own process. The TypeScript is compiled with esbuild next to
 * the source (dependencies left as imports, so `agentmap` resolves to this package's build) and
 * run with plain node: tsx would work too, but spends seconds hooking every import.
 */
export const startExample = (name: string, env: Record<string, string> = {}): Promise<RunningExample> => {
  const dir = path.join(ROOT, "examples", name)
  const out = path.join(dir, "server.compiled.mjs")
  fs.mkdirSync(path.dirname(out), { recursive: true })
  buildSync({ entryPoints: [path.join(dir, "server.ts")], outfile: out, bundle: true, packages: "external", format: "esm", platform: "node", target: "node20", logLevel: "warning" })
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [out], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", HOME: dir, PORT: "0", ...env } })
    let output = ""
    const seen = (d: Buffer) => {
      output += d.toString()
      const m = /[Ll]istening on (http:\/\/[\d.]+:\d+)/.exec(output)
      if (m !== null)
        resolve({
          url: m[1]!,
          process: child,
          stop: () =>
            new Promise<void>((done) => {
              child.once("exit", () => done())
              child.kill("SIGTERM")
            })
        })
    }
    child.stdout.on("data", seen)
    child.stderr.on("data", seen)
    child.on("exit", (code) => reject(new Error(`${name} exited ${code}:\n${output}`)))
    setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 30_000)
  })
}
