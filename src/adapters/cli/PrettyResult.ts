import type { RunResult } from "../../domain/RunResult.js"
import { ExitCode } from "./ExitCodes.js"
import { type OutputMode, printJson } from "./Output.js"
import { shorten, terminalWidth, wrap } from "./TextWrap.js"

const useColor = () => process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined
const paint = (code: string, text: string) => (useColor() ? `\x1b[${code}m${text}\x1b[0m` : text)

const MAX_VALUE = 80

const oneLine = (value: unknown): string => {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? "null"
  return shorten(text.replace(/\s*\n\s*/g, " ⏎ "), MAX_VALUE)
}

/** A plain text table: header, rule, rows; columns as wide as their widest cell. */
export const table = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}`.trimEnd()
  return [line(headers), line(widths.map((w) => "─".repeat(w))), ...rows.map(line)].join("\n")
}

const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`)

/** Each failed node with its whole error message, wrapped at words: the cause of a failure is never cut off. */
const failedNodes = (result: RunResult): Array<string> => {
  const failed = result.execution_summary.node_executions.filter((e) => !e.success && e.error !== undefined)
  if (failed.length === 0) return []
  const width = terminalWidth() - 4
  return [
    "",
    paint("31", failed.length === 1 ? "Failed node" : "Failed nodes"),
    ...failed.flatMap((e) => wrap(`✘ ${e.node} (${e.agent_type}): ${e.error}`, width).map((line, i) => `  ${i === 0 ? "" : "  "}${line}`))
  ]
}

export interface RenderOptions {
  /** How long this command's part took (a resume's own time, not the thread's since it began). */
  readonly runMillis?: number
}

/** The human view of a result: status line, failed nodes, final state table, per-node timings. */
export const renderResult = (result: RunResult, options: RenderOptions = {}): string => {
  const summary = result.execution_summary
  const mark =
    result.status === "completed" ? paint("32", "✔ completed") : result.status === "suspended" ? paint("33", "⏸ suspended") : paint("31", "✘ failed")
  const lines = [`${mark}  graph ${result.graph_name}  thread ${result.thread_id}  (${ms(options.runMillis ?? summary.duration_ms)})`]
  if (result.error !== undefined) lines.push(...wrap(`${paint("31", "error")}: ${result.error.message}`, terminalWidth()))
  if (result.interrupt !== undefined) {
    lines.push(...wrap(waitingAt(result.interrupt), terminalWidth()))
    lines.push(`resume with: ${resumeCommandFor(result.thread_id, result.interrupt.type, result.interrupt.payload)}`)
  }
  lines.push(...failedNodes(result))
  const state = Object.entries(result.outputs)
  lines.push("", "Final state", state.length === 0 ? "  (empty)" : table(["key", "value"], state.map(([k, v]) => [k, oneLine(v)])))
  const models = summary.node_executions.some((e) => e.llm !== undefined)
  const failures = summary.node_executions.some((e) => e.error !== undefined)
  if (summary.node_executions.length > 0)
    lines.push(
      "",
      "Node timings",
      table(
        ["node", "agent", "ok", "duration", ...(models ? ["model", "tokens in/out"] : []), ...(failures ? ["error"] : [])],
        summary.node_executions.map((e) => [
          e.node,
          e.agent_type,
          e.success ? "✔" : "✘",
          ms(e.duration_ms),
          ...(models ? (e.llm === undefined ? ["", ""] : [`${e.llm.provider}/${e.llm.model}`, `${e.llm.input_tokens}/${e.llm.output_tokens}`]) : []),
          ...(failures ? [e.error === undefined ? "" : "see above"] : [])
        ])
      )
    )
  return `${lines.join("\n")}\n`
}

/** What a suspended run waits for: the question in full (a person has to read it), else the payload. */
const waitingAt = (interrupt: NonNullable<RunResult["interrupt"]>): string => {
  const payload = typeof interrupt.payload === "object" && interrupt.payload !== null ? (interrupt.payload as Record<string, unknown>) : {}
  const prompt = payload["prompt"]
  const kind = typeof payload["interaction_type"] === "string" ? `${interrupt.type}, ${payload["interaction_type"]}` : interrupt.type
  const options = Array.isArray(payload["options"]) && payload["options"].length > 0 ? ` (options: ${payload["options"].map((o, i) => `${i + 1}) ${oneLine(o)}`).join("  ")})` : ""
  return typeof prompt === "string" && prompt.trim() !== ""
    ? `waiting at node ${interrupt.node} (${kind}): ${prompt}${options}`
    : `waiting at node ${interrupt.node} (${kind}): ${oneLine(interrupt.payload)}`
}

/** The command that answers a thread's pending interrupt. */
export const resumeCommandFor = (threadId: string, type: string, payload: unknown) => `agentmap resume ${threadId} ${resumeHint(type, payload)}`

const resumeHint = (type: string, payload: unknown): string => {
  const interaction = typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>)["interaction_type"] : undefined
  if (type === "input") return `--data '{"text": "..."}'`
  if (interaction === "approval") return "approve   (or: reject)"
  if (interaction === "choice") return `choose --data '{"choice": 1}'`
  if (interaction === "text_input") return `respond --data '{"text": "..."}'`
  if (interaction === "edit") return `edit --data '{"edited": "..."}'`
  return "continue --data '{...}'"
}

/** Prints a result document as the mode asks; the exit code follows its status (§6). */
export const printResult = (mode: OutputMode, result: RunResult, options: RenderOptions = {}): number => {
  if (mode.json) printJson(mode, result)
  else process.stdout.write(renderResult(result, options))
  return result.status === "failed" ? ExitCode.Failed : ExitCode.Ok
}
