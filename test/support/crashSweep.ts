import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { BIN, type CliResult, agentmapAsync } from "./cli.js"
import type { StoreProbe } from "./storeProbe.js"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)))

/** When to SIGKILL a run: so many ms after its process started, or after its thread row appeared in the store. */
export type KillAt = { readonly after: "spawn" | "row"; readonly ms: number }

/** Where a kill caught its run, read from the store right after the process died. */
export type Stage = "before its thread row" | "between its thread row and its first checkpoint" | "mid-run" | "after it completed"

export interface Killed {
  readonly threadId: string
  readonly state: Record<string, unknown>
  readonly stage: Stage
  /** The nodes the run had logged when it died. */
  readonly logged: ReadonlyArray<string>
  /** ms from the process's start to its thread row, and from the row to the run's end (completed, or the kill). */
  readonly timing: { readonly toRow: number; readonly rowToEnd: number }
}

export const readLog = (file: string): ReadonlyArray<string> => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").filter((l) => l !== "") : [])

/** `agentmap run chain.csv --thread-id ID --state …` in `dir`, SIGKILLed at `at` unless it ends first. */
export const killRun = async (dir: string, threadId: string, at: KillAt, probe: StoreProbe): Promise<Killed> => {
  const log = path.join(dir, `${threadId}.log`)
  const state = { log, pause_ms: 10 }
  const child = spawn(process.execPath, [BIN, "run", "chain.csv", "--thread-id", threadId, "--state", JSON.stringify(state), "--json"], {
    cwd: dir,
    env: { PATH: process.env["PATH"] ?? "", HOME: dir, NO_COLOR: "1" },
    stdio: "ignore"
  })
  let exited = false
  const exit = new Promise<void>((resolve) => child.on("exit", () => resolve(void (exited = true))))
  const started = Date.now()
  let rowAt: number | undefined
  let completedAt: number | undefined
  const row = (async () => {
    while (!exited && rowAt === undefined) {
      if ((await probe.status(threadId)) !== undefined) rowAt = Date.now()
      else await sleep(1)
    }
  })()
  const completion = (async () => {
    await row
    while (!exited && completedAt === undefined) {
      if ((await probe.status(threadId)) === "completed") completedAt = Date.now()
      else await sleep(2)
    }
  })()
  if (at.after === "row") await row
  const from = at.after === "row" ? (rowAt ?? Date.now()) : started
  await Promise.race([sleep(from + at.ms - Date.now()), exit])
  child.kill("SIGKILL")
  await exit
  await completion
  const ended = completedAt ?? Date.now()
  const status = await probe.status(threadId)
  const stage: Stage =
    status === undefined ? "before its thread row" : status === "completed" ? "after it completed" : (await probe.hasCheckpoint(threadId)) ? "mid-run" : "between its thread row and its first checkpoint"
  return { threadId, state, stage, logged: readLog(log), timing: { toRow: (rowAt ?? ended) - started, rowToEnd: ended - (rowAt ?? ended) } }
}

export interface Recovered {
  readonly threadId: string
  /** What the user ran, in order, and how each ended. */
  readonly steps: ReadonlyArray<{ readonly command: string; readonly status: number | null; readonly error: string | undefined }>
  /** The result document the recovery printed, when it ran the thread to its end. */
  readonly result: { readonly status: string; readonly nodes: ReadonlyArray<string> } | undefined
  /** The recovery found the thread already completed (killed after its end): refused as finished, nothing ran. */
  readonly alreadyDone: boolean
}

const errorOf = (r: CliResult) => {
  try {
    return (JSON.parse(r.stdout) as { error?: string }).error
  } catch {
    return `unreadable output: ${r.stdout.slice(0, 200)} ${r.stderr.slice(0, 200)}`
  }
}

/**
 * What a user does after a crash once the lease ran out: `agentmap resume ID` (and, for an id
 * nobody knows, runs it again), or, as a retrying client would, `agentmap run … --thread-id ID`
 * with the same state.
 */
export const recover = async (dir: string, killed: Killed, by: "resume" | "rerun"): Promise<Recovered> => {
  const steps: Array<Recovered["steps"][number]> = []
  const attempt = async (args: ReadonlyArray<string>) => {
    const r = await agentmapAsync([...args, "--json"], { cwd: dir })
    steps.push({ command: args.join(" "), status: r.status, error: r.status === 0 ? undefined : errorOf(r) })
    return r
  }
  const rerun = () => attempt(["run", "chain.csv", "--thread-id", killed.threadId, "--state", JSON.stringify(killed.state)])
  let last = by === "resume" ? await attempt(["resume", killed.threadId]) : await rerun()
  if (by === "resume" && last.status === 3) last = await rerun()
  const doc = last.status === 0 ? (JSON.parse(last.stdout) as { status: string; execution_summary: { node_executions: Array<{ node: string }> } }) : undefined
  const refused = steps[steps.length - 1]!
  return {
    threadId: killed.threadId,
    steps,
    result: doc === undefined ? undefined : { status: doc.status, nodes: doc.execution_summary.node_executions.map((e) => e.node) },
    alreadyDone: refused.status === 2 && (refused.error === "ThreadFinished" || (refused.error === "ThreadExists" && last.stdout.includes("already ran this workflow and completed")))
  }
}

/**
 * Checks a thread's log after its recovery against the chain: the nodes logged before the kill,
 * then the rest of the chain, where only the node in flight at the kill (the last one logged) may
 * run a second time. Returns a problem, or how many nodes ran again (0 or 1).
 */
export const judgeLog = (chain: ReadonlyArray<string>, before: ReadonlyArray<string>, after: ReadonlyArray<string>): { readonly problem: string } | { readonly reruns: number } => {
  const a = before.length
  if (before.some((n, i) => n !== chain[i])) return { problem: `before recovery the log was not a start of the chain: ${before.join(" ")}` }
  const rest = after.slice(a)
  if (after.slice(0, a).some((n, i) => n !== before[i])) return { problem: `the log before recovery changed: ${after.join(" ")}` }
  if (rest.join(" ") === chain.slice(a).join(" ")) return { reruns: 0 }
  if (a > 0 && rest.join(" ") === chain.slice(a - 1).join(" ")) return { reruns: 1 }
  return { problem: `after ${before.join(" ") || "nothing"} the recovery logged ${rest.join(" ") || "nothing"}` }
}
