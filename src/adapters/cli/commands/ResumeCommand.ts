import * as fs from "node:fs"
import { Effect } from "effect"
import { WorkflowService } from "../../../application/WorkflowService.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import { RESUME_ACTIONS } from "../../../domain/Resume.js"
import { runWithApp } from "../CommandRuntime.js"
import type { OutputMode } from "../Output.js"
import { printResult } from "../PrettyResult.js"
import { command, flag, text } from "../Spec.js"
import { jsonOption, prettyOption } from "./SharedOptions.js"

const one = (name: string, positional: string | undefined, flagged: string | undefined) =>
  positional !== undefined && flagged !== undefined && positional !== flagged
    ? Effect.fail(new InvalidRequest({ message: `two ${name}s given: '${positional}' and '${flagged}'` }))
    : Effect.succeed(positional ?? flagged)

const readData = (inline: string | undefined, file: string | undefined) =>
  Effect.gen(function* () {
    if (inline !== undefined && file !== undefined) return yield* Effect.fail(new InvalidRequest({ message: "give --data or --data-file, not both" }))
    const raw =
      inline !== undefined
        ? { text: inline, from: "--data" }
        : file !== undefined
        ? yield* Effect.try({
            try: () => ({ text: fs.readFileSync(file, "utf8"), from: `--data-file ${file}` }),
            catch: () => new InvalidRequest({ message: `--data-file '${file}' cannot be read` })
          })
        : undefined
    if (raw === undefined) return undefined
    return yield* Effect.try({
      try: () => JSON.parse(raw.text) as unknown,
      catch: (e) => new InvalidRequest({ message: `${raw.from} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` })
    })
  })

export const resumeCommand = command({
  name: "resume",
  summary: "Resume a suspended thread (or one whose process died) and print its result document",
  args: [
    { name: "THREAD", description: "the thread id the run printed", optional: true },
    { name: "ACTION", description: `what the answer is: ${RESUME_ACTIONS.join(", ")} (default: continue)`, optional: true }
  ],
  options: {
    data: text({ short: "d", placeholder: "JSON", description: "the answer's data, as JSON", example: `--data '{"text": "yes"}'` }),
    dataFile: text({ placeholder: "FILE", description: "read the answer's data (JSON) from a file" }),
    threadId: text({ placeholder: "ID", description: "the thread id (the same as THREAD)" }),
    action: text({ placeholder: "ACTION", description: "the action (the same as ACTION)" }),
    force: flag({ description: "resume even though a routing function or custom agent module changed since the thread started" }),
    json: jsonOption,
    pretty: prettyOption
  },
  examples: ["agentmap resume 0193a1c2-… approve", `agentmap resume 0193a1c2-… --data '{"text": "Ada"}'`, "agentmap resume --thread-id 0193a1c2-… --action reject"],
  exitCodes: "0 completed or suspended again, 1 failed, 2 bad action or data, a finished or busy thread, 3 unknown thread",
  run: ({ options: o, args, globals }) => {
    const mode: OutputMode = { json: o.json, indent: o.pretty }
    return runWithApp(
      globals,
      mode,
      Effect.gen(function* () {
        const service = yield* WorkflowService
        const threadId = yield* one("thread", args[0], o.threadId)
        if (threadId === undefined) return yield* Effect.fail(new InvalidRequest({ message: "missing THREAD: give the thread id the run printed" }))
        const chosen = yield* one("action", args[1], o.action)
        const payload = yield* readData(o.data, o.dataFile)
        const started = performance.now()
        const { result } = yield* service.resume({
          thread_id: threadId,
          ...(chosen !== undefined ? { action: chosen } : {}),
          ...(payload !== undefined ? { data: payload } : {}),
          force: o.force
        })
        return printResult(mode, result, { runMillis: performance.now() - started })
      })
    )
  }
})
