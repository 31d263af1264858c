import * as fs from "node:fs"
import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { WorkflowService } from "../../../application/WorkflowService.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import { runWithApp } from "../CommandRuntime.js"
import type { OutputMode } from "../Output.js"
import { printResult } from "../PrettyResult.js"
import { configOption, jsonOption, prettyOption } from "./SharedOptions.js"

const thread = Args.text({ name: "thread" }).pipe(Args.withDescription("the thread id a run printed"), Args.optional)
const action = Args.text({ name: "action" }).pipe(
  Args.withDescription("approve, reject, choose, respond, edit, continue, stop, retry, skip, submit, cancel, text_input, save, reply or end (default continue)"),
  Args.optional
)
const threadFlag = Options.text("thread-id").pipe(Options.withDescription("the thread id (same as THREAD)"), Options.optional)
const actionFlag = Options.text("action").pipe(Options.withDescription("the action (same as ACTION)"), Options.optional)
const data = Options.text("data").pipe(Options.withAlias("d"), Options.withDescription("resume data as JSON"), Options.optional)
const dataFile = Options.text("data-file").pipe(Options.withDescription("read the resume data (JSON) from a file"), Options.optional)
const force = Options.boolean("force").pipe(Options.withDescription("resume even though a routing function changed since the thread started"))

const one = (name: string, positional: Option.Option<string>, flag: Option.Option<string>) =>
  Option.isSome(positional) && Option.isSome(flag) && positional.value !== flag.value
    ? Effect.fail(new InvalidRequest({ message: `two ${name}s given: '${positional.value}' and '${flag.value}'` }))
    : Effect.succeed(Option.getOrUndefined(Option.orElse(positional, () => flag)))

const readData = (inline: Option.Option<string>, file: Option.Option<string>) =>
  Effect.gen(function* () {
    if (Option.isSome(inline) && Option.isSome(file)) return yield* Effect.fail(new InvalidRequest({ message: "give --data or --data-file, not both" }))
    const source = Option.isSome(inline) ? { text: inline.value, from: "--data" } : undefined
    const fromFile = Option.isSome(file)
      ? yield* Effect.try({
          try: () => ({ text: fs.readFileSync(file.value, "utf8"), from: `--data-file ${file.value}` }),
          catch: () => new InvalidRequest({ message: `--data-file '${file.value}' cannot be read` })
        })
      : undefined
    const raw = source ?? fromFile
    if (raw === undefined) return undefined
    return yield* Effect.try({
      try: () => JSON.parse(raw.text) as unknown,
      catch: (e) => new InvalidRequest({ message: `${raw.from} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` })
    })
  })

export const resumeCommand = Command.make(
  "resume",
  { thread, action, threadFlag, actionFlag, data, dataFile, force, config: configOption, json: jsonOption, pretty: prettyOption },
  (a) => {
    const mode: OutputMode = { json: a.json, indent: a.pretty }
    return runWithApp(
      a.config,
      mode,
      Effect.gen(function* () {
        const service = yield* WorkflowService
        const threadId = yield* one("thread", a.thread, a.threadFlag)
        if (threadId === undefined) return yield* Effect.fail(new InvalidRequest({ message: "missing THREAD: give the thread id the run printed" }))
        const chosen = yield* one("action", a.action, a.actionFlag)
        const payload = yield* readData(a.data, a.dataFile)
        const { result } = yield* service.resume({
          thread_id: threadId,
          ...(chosen !== undefined ? { action: chosen } : {}),
          ...(payload !== undefined ? { data: payload } : {}),
          force: a.force
        })
        return printResult(mode, result)
      })
    )
  }
).pipe(Command.withDescription("Resume a suspended thread (or one whose process died) and print its result document"))
