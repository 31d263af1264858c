import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BIN, ROOT } from "./support/cli.js"
import { type FakeLlm, startFakeLlm } from "./support/FakeLlmServer.js"
import { llmEnv } from "./support/llm.js"
import { missingLines, notePattern, readmeSteps, type Step } from "./support/readme.js"

/** README commands this suite does not run, and why. */
const NOT_RUN: ReadonlyArray<readonly [RegExp, string]> = [
  [/^npm install$/, "the suite runs after it: it is how this checkout was set up"],
  [/^npm test$/, "it is this suite"],
  [/^npm run build:(aws|azure|gcp)$/, "test/serverless/Bundles.test.ts builds the cloud bundles and runs them"]
]

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

/** Runs a command line with bash without blocking this process. */
const shell = (command: string, options: { cwd: string; env: Record<string, string> }) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn("bash", ["-c", command], options)
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000)
    child.on("close", (status) => {
      clearTimeout(timer)
      done({ status, stdout, stderr })
    })
  })

const steps = readmeSteps(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"))

/** A copy of this checkout's examples (workflows/ and the config), with `npx agentmap` and `agentmap` on the PATH. */
const setUp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-readme-"))
  fs.cpSync(path.join(ROOT, "workflows"), path.join(dir, "workflows"), { recursive: true })
  fs.copyFileSync(path.join(ROOT, "agentmap_config.yaml"), path.join(dir, "agentmap_config.yaml"))
  const bin = path.join(dir, ".bin")
  fs.mkdirSync(bin)
  const agentmap = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"`
  fs.writeFileSync(path.join(bin, "agentmap"), `#!/bin/sh\n${agentmap}\n`, { mode: 0o755 })
  fs.writeFileSync(path.join(bin, "npx"), `#!/bin/sh\n[ "$1" = agentmap ] || { echo "the README test runs only npx agentmap, not npx $1" >&2; exit 97; }\nshift\n${agentmap}\n`, { mode: 0o755 })
  return { dir, bin }
}

describe("every shell, curl and CSV example of the README does what the README shows", () => {
  const { dir, bin } = setUp()
  const vars: Record<string, string> = {}
  let fake: FakeLlm
  let server: ChildProcess | undefined
  let address = ""
  let thread = ""
  const env = () => ({ PATH: `${bin}:${process.env["PATH"] ?? ""}`, HOME: dir, NO_COLOR: "1", ...llmEnv(fake), ...vars })

  beforeAll(async () => {
    fake = await startFakeLlm()
  })
  afterAll(async () => {
    if (server !== undefined) process.kill(-server.pid!, "SIGTERM")
    await fake.close()
  })

  /** The README's words made runnable: placeholders become what earlier steps printed. */
  const resolve = (command: string) =>
    command
      .replace(/[0-9a-f]{4}…/g, thread)
      .replace(/THREAD_ID/g, thread)
      .replace(/localhost:8000/g, address)

  const startServer = (command: string) =>
    new Promise<void>((done, fail) => {
      const child = spawn("bash", ["-c", `exec ${command.replace(/--port \d+/, "--port 0")}`], { cwd: dir, env: env(), detached: true })
      server = child
      let err = ""
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString()
        const m = /serving http:\/\/([^\s]+)/.exec(err)
        if (m !== null) done(void (address = m[1]!))
      })
      child.on("exit", (code) => fail(new Error(`${command} exited ${code}:\n${err}`)))
    })

  const run = async (step: Extract<Step, { _tag: "Command" }>) => {
    for (const part of step.command.split(" && ")) {
      const skipped = NOT_RUN.find(([pattern]) => pattern.test(part.trim()))
      if (skipped !== undefined) continue
      const assignment = /^(\w+)=(\S+)$/.exec(part.trim())
      if (assignment !== null) {
        // `KEY=agm_…` stands for the key generate-key printed
        if (!assignment[2]!.includes("…")) vars[assignment[1]!] = assignment[2]!
        expect(vars[assignment[1]!], `${assignment[1]} was printed by an earlier step`).toBeDefined()
        continue
      }
      if (/^npx agentmap serve\b/.test(part)) {
        await startServer(part)
        continue
      }
      expect(part, "a README command the README test knows how to run").toMatch(/^(npx agentmap|agentmap|curl) /)
      // not spawnSync: the fake LLM server answering the command runs in this process
      const r = await shell(resolve(part), { cwd: dir, env: env() })
      expect(r.status, `${part}\n${r.stderr}${r.stdout}`).toBe(0)
      const printed = `${r.stdout}${r.stderr}`
      const key = /agm_[A-Za-z0-9_-]+/.exec(printed)
      if (key !== null && part.includes("generate-key")) vars["KEY"] = key[0]
      thread = UUID.exec(r.stdout)?.[0] ?? thread
      if (part.startsWith("curl")) expect(r.stdout, "a curl example answers without an error document").not.toMatch(/^\{"error"/)
      if (step.expected?._tag === "Lines") expect(missingLines(step.expected.lines, r.stdout)).toEqual([])
      if (step.expected?._tag === "Note") expect(r.stdout).toMatch(notePattern(step.expected.text))
    }
  }

  it("finds the examples (commands, curl calls, CSVs) in the README", () => {
    const commands = steps.filter((s) => s._tag === "Command").map((s) => s.command)
    expect(commands.filter((c) => c.startsWith("curl")).length).toBeGreaterThanOrEqual(5)
    expect(commands.filter((c) => c.includes("agentmap resume")).length).toBeGreaterThanOrEqual(1)
    expect(steps.filter((s) => s._tag === "Csv").length).toBeGreaterThanOrEqual(2)
  })

  it.each(steps.map((step) => [`README.md:${step.line}: ${step._tag === "Csv" ? "a CSV" : step.command}`, step] as const))("%s", async (_, step) => {
    if (step._tag === "Command") return run(step)
    const file = path.join(dir, `readme-${step.line}.csv`)
    fs.writeFileSync(file, step.text)
    const r = spawnSync(process.execPath, [BIN, "validate", file], { cwd: dir, env: env(), encoding: "utf8" })
    expect(r.status, r.stdout + r.stderr).toBe(0)
  })
})
