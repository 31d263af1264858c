import { Effect } from "effect"
import { ThreadService } from "../../../application/ThreadService.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import type { ThreadRecord, ThreadStatus } from "../../../domain/Thread.js"
import { runWithApp } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { type OutputMode, printJson } from "../Output.js"
import { resumeCommandFor, table } from "../PrettyResult.js"
import { choice, command, flag, group, text } from "../Spec.js"
import { jsonOption } from "./SharedOptions.js"

const STATUSES: ReadonlyArray<ThreadStatus> = ["running", "suspended", "completed", "failed"]

/** What `threads list` shows of a thread (the snapshot and result stay for `threads show`). */
const summary = (t: ThreadRecord) => ({
  thread_id: t.thread_id,
  workflow: t.workflow,
  graph: t.graph,
  status: t.status,
  interrupt: t.interrupt === null ? null : { node: t.interrupt.node, type: t.interrupt.type },
  principal: t.principal,
  created_at: t.created_at,
  updated_at: t.updated_at
})

const list = command({
  name: "list",
  summary: "List threads, newest first",
  args: [],
  options: { status: choice(STATUSES, { placeholder: "STATUS", description: "only threads with this status: running, suspended, completed or failed", default: "all" }), json: jsonOption },
  examples: ["agentmap threads list --status suspended"],
  run: ({ options: o, globals }) => {
    const mode: OutputMode = { json: o.json, indent: false }
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        const threads = yield* (yield* ThreadService).list(o.status !== undefined ? { status: o.status } : {})
        if (mode.json) printJson(mode, { threads: threads.map(summary) })
        else if (threads.length === 0) process.stdout.write("no threads\n")
        else
          process.stdout.write(
            `${table(
              ["thread", "status", "workflow", "graph", "waiting at", "updated"],
              threads.map((t) => [t.thread_id, t.status, t.workflow, t.graph, t.interrupt === null ? "" : `${t.interrupt.node} (${t.interrupt.type})`, t.updated_at])
            )}\n`
          )
        return ExitCode.Ok
      })
    )
  }
})

const show = command({
  name: "show",
  summary: "Show one thread: status, pending interrupt, snapshot and node executions",
  args: [{ name: "THREAD", description: "the thread id" }],
  options: { json: jsonOption },
  exitCodes: "0 shown, 3 unknown thread",
  run: ({ options: o, args, globals }) => {
    const mode: OutputMode = { json: o.json, indent: false }
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        const { thread, executions } = yield* (yield* ThreadService).show(args[0]!)
        const { snapshot, ...rest } = thread
        const detail = { ...rest, snapshot: { files: Object.keys(snapshot.files), functions: snapshot.functions }, node_executions: executions }
        if (mode.json) printJson(mode, detail)
        else {
          const lines = [
            `thread    ${thread.thread_id}`,
            `status    ${thread.status}`,
            `workflow  ${thread.workflow} (graph ${thread.graph}, csv ${thread.csv_hash.slice(0, 12)})`,
            `created   ${thread.created_at}`,
            `updated   ${thread.updated_at}`,
            ...(thread.interrupt !== null
              ? [
                  `waiting   ${thread.interrupt.node} (${thread.interrupt.type}): ${JSON.stringify(thread.interrupt.payload)}`,
                  ...(thread.status === "suspended" ? [`resume    ${resumeCommandFor(thread.thread_id, thread.interrupt.type, thread.interrupt.payload)}`] : [])
                ]
              : []),
            ...(thread.status === "running" && (thread.lease_expires_at ?? 0) <= Date.now()
              ? [`resume    agentmap resume ${thread.thread_id}   (interrupted: the process running it stopped; this goes on from its last checkpoint)`]
              : []),
            ...(thread.principal !== null ? [`principal ${thread.principal}`] : []),
            `files     ${Object.keys(snapshot.files).join(", ")}`
          ]
          process.stdout.write(`${lines.join("\n")}\n`)
          if (executions.length > 0)
            process.stdout.write(`\n${table(["node", "agent", "ok", "started", "duration"], executions.map((e) => [e.node, e.agent_type, e.success ? "✔" : "✘", e.started_at, `${e.duration_ms} ms`]))}\n`)
        }
        return ExitCode.Ok
      })
    )
  }
})

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

export const parseAge = (text: string) => {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim())
  return m === null
    ? Effect.fail(new InvalidRequest({ message: `--older-than '${text}' is not an age: use a number and a unit, e.g. 30d, 12h, 90m, 45s` }))
    : Effect.succeed(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!)
}

const prune = command({
  name: "prune",
  summary: "Delete finished threads (and their checkpoints) older than an age; suspended ones stay unless --include-suspended",
  args: [],
  options: {
    olderThan: text({ placeholder: "AGE", description: "age since the thread last changed: a number and a unit (s, m, h, d, w)", example: "--older-than 30d" }),
    includeSuspended: flag({ description: "also delete suspended threads" }),
    json: jsonOption
  },
  examples: ["agentmap threads prune --older-than 30d", "agentmap threads prune --older-than 12h --include-suspended"],
  run: ({ options: o, globals }) => {
    const mode: OutputMode = { json: o.json, indent: false }
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        if (o.olderThan === undefined) return yield* Effect.fail(new InvalidRequest({ message: "missing --older-than AGE: say how old a thread must be to go, e.g. --older-than 30d" }))
        const age = yield* parseAge(o.olderThan)
        const removed = yield* (yield* ThreadService).prune(age, o.includeSuspended)
        if (mode.json) printJson(mode, { removed })
        else process.stdout.write(`removed ${removed.length} thread${removed.length === 1 ? "" : "s"}${removed.length > 0 ? `: ${removed.join(", ")}` : ""}\n`)
        return ExitCode.Ok
      })
    )
  }
})

export const threadsCommand = group({
  name: "threads",
  summary: "Inspect and clean up threads (runs) in the persistence store",
  commands: [list, show, prune],
  examples: ["agentmap threads list --status suspended", "agentmap threads show 0193a1c2-…", "agentmap threads prune --older-than 30d"]
})
