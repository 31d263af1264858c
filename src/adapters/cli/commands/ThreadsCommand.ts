import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { ThreadService } from "../../../application/ThreadService.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import type { ThreadRecord, ThreadStatus } from "../../../domain/Thread.js"
import { runWithApp } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { type OutputMode, printJson } from "../Output.js"
import { table } from "../PrettyResult.js"
import { configOption, jsonOption } from "./SharedOptions.js"

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

const list = Command.make(
  "list",
  { status: Options.choice("status", STATUSES).pipe(Options.withDescription("only threads with this status"), Options.optional), config: configOption, json: jsonOption },
  (a) => {
    const mode: OutputMode = { json: a.json, indent: false }
    return runWithApp(
      a.config,
      mode,
      Effect.gen(function* () {
        const threads = yield* (yield* ThreadService).list(Option.isSome(a.status) ? { status: a.status.value } : {})
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
).pipe(Command.withDescription("List threads, newest first"))

const show = Command.make("show", { thread: Args.text({ name: "thread" }), config: configOption, json: jsonOption }, (a) => {
  const mode: OutputMode = { json: a.json, indent: false }
  return runWithApp(
    a.config,
    mode,
    Effect.gen(function* () {
      const { thread, executions } = yield* (yield* ThreadService).show(a.thread)
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
          ...(thread.interrupt !== null ? [`waiting   ${thread.interrupt.node} (${thread.interrupt.type}): ${JSON.stringify(thread.interrupt.payload)}`] : []),
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
}).pipe(Command.withDescription("Show one thread: status, pending interrupt, snapshot and node executions"))

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

export const parseAge = (text: string) => {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim())
  return m === null
    ? Effect.fail(new InvalidRequest({ message: `--older-than '${text}' is not an age: use a number and a unit, e.g. 30d, 12h, 90m, 45s` }))
    : Effect.succeed(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!)
}

const prune = Command.make(
  "prune",
  {
    olderThan: Options.text("older-than").pipe(Options.withDescription("age since the thread last changed: 30d, 12h, 90m, 45s")),
    includeSuspended: Options.boolean("include-suspended").pipe(Options.withDescription("also delete suspended threads")),
    config: configOption,
    json: jsonOption
  },
  (a) => {
    const mode: OutputMode = { json: a.json, indent: false }
    return runWithApp(
      a.config,
      mode,
      Effect.gen(function* () {
        const age = yield* parseAge(a.olderThan)
        const removed = yield* (yield* ThreadService).prune(age, a.includeSuspended)
        if (mode.json) printJson(mode, { removed })
        else process.stdout.write(`removed ${removed.length} thread${removed.length === 1 ? "" : "s"}${removed.length > 0 ? `: ${removed.join(", ")}` : ""}\n`)
        return ExitCode.Ok
      })
    )
  }
).pipe(Command.withDescription("Delete finished threads (and their checkpoints) older than an age; suspended ones stay unless --include-suspended"))

export const threadsCommand = Command.make("threads").pipe(
  Command.withDescription("Inspect and clean up threads (runs) in the persistence store"),
  Command.withSubcommands([list, show, prune])
)
