import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { AlreadyExists } from "../../../domain/Errors.js"
import { runStandalone } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { CONFIG_TEMPLATE, HELLO_WORLD_CSV } from "../InitTemplates.js"
import { type OutputMode, printJson } from "../Output.js"
import { command, flag } from "../Spec.js"
import { jsonOption } from "./SharedOptions.js"

const FILES = [
  { relative: "agentmap_config.yaml", content: CONFIG_TEMPLATE },
  { relative: path.join("workflows", "hello_world.csv"), content: HELLO_WORLD_CSV }
] as const

/** Writes both files, or neither: existing files are checked before anything is written. */
const init = (a: { readonly force: boolean; readonly json: boolean }) => {
  const mode: OutputMode = { json: a.json, indent: false }
  return runStandalone(
    mode,
    Effect.gen(function* () {
      const cwd = process.cwd()
      const targets = FILES.map((f) => ({ ...f, absolute: path.join(cwd, f.relative) }))
      const existing = targets.filter((t) => fs.existsSync(t.absolute))
      if (existing.length > 0 && !a.force)
        return yield* Effect.fail(
          new AlreadyExists({
            path: existing[0]!.relative,
            message: `${existing.map((t) => t.relative).join(" and ")} already exist${existing.length === 1 ? "s" : ""}; nothing was written (use --force to overwrite)`
          })
        )
      for (const t of targets) {
        fs.mkdirSync(path.dirname(t.absolute), { recursive: true })
        fs.writeFileSync(t.absolute, t.content)
      }
      if (mode.json) printJson(mode, { created: targets.map((t) => t.relative) })
      else
        process.stdout.write(
          `created ${targets.map((t) => t.relative).join(" and ")}\ntry: agentmap run workflows/hello_world.csv --state '{"name": "Ada"}'\n`
        )
      return ExitCode.Ok
    })
  )
}

const spec = {
  summary: "Create agentmap_config.yaml and workflows/hello_world.csv in the current folder",
  args: [],
  options: { force: flag({ short: "f", description: "overwrite the files if they exist" }), json: jsonOption },
  examples: ["agentmap init", `agentmap run workflows/hello_world.csv --state '{"name": "Ada"}'`],
  exitCodes: "0 created, 2 the files exist (nothing is written; --force overwrites)",
  run: ({ options }: { readonly options: { readonly force: boolean; readonly json: boolean } }) => init(options)
}

export const initCommand = command({ name: "init", ...spec })

/** The Python AgentMap's name for init. */
export const initConfigCommand = command({ name: "init-config", ...spec, summary: "Same as init (the Python AgentMap's name)" })
