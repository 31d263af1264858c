import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { BIN } from "./cli.js"

/** N0, N1, … the nodes of a chain of `length`. */
export const chainNodes = (length: number) => Array.from({ length }, (_, i) => `N${i}`)

/**
 * Files of a project holding `chain.csv`: a chain of `length` nodes whose routing function
 * `step` leaves a trace a test can count. After each node it waits the state's `pause_ms`
 * (default 0), then appends the node's name to the file the state's `log` names (default
 * log.txt). The node the state's `kill_at` names SIGKILLs its own process the first time it
 * runs, before it logs; the node `hold_at` names, the first time it runs, writes `<log>.held` and
 * waits forever (the process stays alive, its lease renewed, until the test kills it).
 */
export const chainFiles = (length: number, config: string): Record<string, string> => {
  const rows = ["GraphName,Node,AgentType,Output_Field,Success_Next,Failure_Next,Prompt"]
  for (let i = 0; i < length; i++) rows.push(`Chain,N${i},default,current,func:step,${i < length - 1 ? `N${i + 1}` : ""},N${i}`)
  return {
    "chain.csv": `${rows.join("\n")}\n`,
    "agentmap_config.yaml": config,
    "functions/step.mjs": `
import * as fs from "node:fs"
export const step = async (state, _success, next) => {
  const node = /\\[(N\\d+)\\]/.exec(state.current)[1]
  const log = state.log ?? "log.txt"
  if (node === state.kill_at && !fs.existsSync(log + ".killed")) {
    fs.writeFileSync(log + ".killed", node)
    process.kill(process.pid, "SIGKILL")
  }
  if (node === state.hold_at && !fs.existsSync(log + ".held")) {
    fs.writeFileSync(log + ".held", node)
    await new Promise(() => {})
  }
  if (state.pause_ms > 0) await new Promise((resolve) => setTimeout(resolve, state.pause_ms))
  fs.appendFileSync(log, node + "\\n")
  return next
}
`
  }
}

/**
 * Waits until a run of the chain, started by `start` (a child process, or a request to a server
 * whose process is given), holds at its `hold_at` node: alive, its lease renewed, so the test can
 * see it busy for as long as it likes before it SIGKILLs it.
 */
export const whenHeld = async (dir: string, exited: () => boolean, log = "log.txt") => {
  while (!fs.existsSync(path.join(dir, `${log}.held`))) {
    if (exited()) throw new Error("the run ended before it reached its hold_at node")
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** `agentmap args…` in `dir`, once it holds at its `hold_at` node; `kill` SIGKILLs it and resolves with the signal it died of. */
export const heldRun = async (args: ReadonlyArray<string>, dir: string) => {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", HOME: dir, NO_COLOR: "1" }, stdio: "ignore" })
  let ended = false
  const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(((ended = true), signal))))
  await whenHeld(dir, () => ended)
  return {
    kill: () => {
      child.kill("SIGKILL")
      return exit
    }
  }
}
