/** N0, N1, … the nodes of a chain of `length`. */
export const chainNodes = (length: number) => Array.from({ length }, (_, i) => `N${i}`)

/**
 * Files of a project holding `chain.csv`: a chain of `length` nodes whose routing function
 * `step` leaves a trace a test can count. After each node it waits the state's `pause_ms`
 * (default 0), then appends the node's name to the file the state's `log` names (default
 * log.txt). The node the state's `kill_at` names (or kill-at.txt holds) SIGKILLs its own
 * process the first time it runs, before it logs.
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
  const killAt = state.kill_at ?? (fs.existsSync("kill-at.txt") ? fs.readFileSync("kill-at.txt", "utf8").trim() : "")
  if (node === killAt && !fs.existsSync(log + ".killed")) {
    fs.writeFileSync(log + ".killed", node)
    process.kill(process.pid, "SIGKILL")
  }
  if (state.pause_ms > 0) await new Promise((resolve) => setTimeout(resolve, state.pause_ms))
  fs.appendFileSync(log, node + "\\n")
  return next
}
`
  }
}
