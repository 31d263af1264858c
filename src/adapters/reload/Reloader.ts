import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Layer, Option, Queue } from "effect"
import { PlanBuilder } from "../../application/PlanBuilder.js"
import { MODULE_EXTENSIONS } from "../../domain/AgentType.js"
import { type Diagnostic, format } from "../../domain/Diagnostic.js"
import type { ModuleLoadError } from "../../ports/UserModules.js"
import type { WorkflowRepository } from "../../ports/WorkflowRepository.js"
import type { AppConfig } from "../config/AppConfig.js"
import { moduleFile } from "../modules/HostServicesLayer.js"
import * as FileWatcher from "./FileWatcher.js"
import type * as LastGoodModules from "./LastGoodModules.js"
import { type make as makePinned, readDisk } from "./PinnedWorkflowRepository.js"

export interface ReloaderOptions {
  readonly config: AppConfig
  readonly cwd: string
  /** The config file to watch: the one in use, or where `./agentmap_config.yaml` would be created. */
  readonly configFile: string
  readonly repository: WorkflowRepository["Type"]
  readonly pins: ReturnType<typeof makePinned>
  readonly modules: ReturnType<typeof LastGoodModules.modules>
  readonly functions: ReturnType<typeof LastGoodModules.functions>
  /** Reads the configuration again: its diagnostics when it has errors. */
  readonly reloadConfig: Effect.Effect<{ readonly config: AppConfig } | { readonly diagnostics: ReadonlyArray<Diagnostic>; readonly message: string }>
  /** Starts the server again on a new configuration (the config file or the host services changed). */
  readonly restart: (config: AppConfig) => Effect.Effect<void>
  readonly log: (line: string) => void
  /** The last valid text of each workflow file, kept across restarts so a broken file keeps its previous version. */
  readonly lastGood: Map<string, string>
  readonly debounceMillis?: number
}

const CODE = [...MODULE_EXTENSIONS, ".js", ".mjs", ".ts", ".mts"]
const isCode = (file: string) => CODE.some((e) => file.endsWith(e))
const inside = (dir: string, file: string) => file.startsWith(dir + path.sep)

const readText = (file: string) => {
  try {
    return fs.readFileSync(file, "utf8")
  } catch {
    return undefined
  }
}

/**
 * `serve --reload`: watches the workflow repository, functions, custom agents, tools, host
 * services and the config file. An edit that checks out applies to runs started after it; one
 * that does not is logged with its diagnostics while the previous version keeps serving.
 */
export const layer = (options: ReloaderOptions) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const builder = yield* PlanBuilder
      const { config, cwd, log } = options
      const p = config.paths
      const show = (file: string) => {
        const relative = path.relative(cwd, file)
        return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file
      }
      const say = (line: string) => log(`agentmap: reload: ${line}`)
      const hostServices = moduleFile(p.hostServices) ?? p.hostServices
      const { changes, watched } = yield* FileWatcher.watch(
        [
          { label: "workflows", path: p.csvRepository, kind: "folder" },
          { label: "functions", path: p.functions, kind: "folder" },
          { label: "custom agents", path: p.customAgents, kind: "folder" },
          { label: "tools", path: p.customTools, kind: "folder" },
          { label: "host services", path: hostServices, kind: "file" },
          { label: "config file", path: options.configFile, kind: "file" }
        ],
        { debounceMillis: options.debounceMillis ?? 150, exclude: [p.cache, p.storage] }
      )
      log(
        `agentmap: reload: watching ${watched.map((w) => `${w.label} ${show(w.path)}${w.kind === "folder" ? "/" : ""}${w.active ? "" : " (missing: watched for creation)"}`).join(", ")}\n`
      )

      const nameOf = (file: string) => path.relative(p.csvRepository, file).slice(0, -4).split(path.sep).join("/")
      const lastGood = options.lastGood
      const printDiagnostics = (diagnostics: ReadonlyArray<Diagnostic>) => {
        for (const d of diagnostics) log(`${format(d)}\n`)
      }
      const moduleProblem = (e: ModuleLoadError) =>
        `${show(e.file)}${e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ""}: error: ${e.message}\n`

      /** Checks one workflow as it is on disk; keeps its last valid text serving when it has errors. */
      const checkWorkflow = (file: string, quiet: boolean) =>
        Effect.gen(function* () {
          const text = readText(file)
          if (text === undefined) {
            options.pins.unpin(file)
            lastGood.delete(file)
            if (!quiet) say(`${show(file)} removed\n`)
            return
          }
          const report = yield* Effect.either(Effect.locally(builder.validate(nameOf(file), undefined), readDisk, true))
          const valid = report._tag === "Right" && report.right.valid
          if (valid) {
            options.pins.unpin(file)
            lastGood.set(file, text)
            if (!quiet) say(`${show(file)} changed: valid, runs started from now use it\n`)
            return
          }
          printDiagnostics(report._tag === "Right" ? report.right.diagnostics.filter((d) => d.severity === "error") : [])
          if (report._tag === "Left") log(`${show(file)}: error: ${report.left.message}\n`)
          const previous = lastGood.get(file)
          if (previous !== undefined) options.pins.pin(file, previous)
          say(
            previous !== undefined
              ? `${show(file)} has errors; the previous version keeps serving until they are fixed\n`
              : `${show(file)} has errors; runs of it are refused until they are fixed\n`
          )
        }).pipe(Effect.catchAllCause((cause) => Effect.sync(() => say(`${show(file)} could not be checked: ${cause.toString()}\n`))))

      const handle = (batch: ReadonlyArray<string>) =>
        Effect.gen(function* () {
          let config = false
          let host = false
          for (const file of [...new Set(batch)].sort()) {
            if (file === options.configFile) config = true
            else if (file === hostServices || (isCode(file) && file.startsWith(p.hostServices + "."))) host = true
            else if (inside(p.csvRepository, file) && file.toLowerCase().endsWith(".csv")) yield* checkWorkflow(file, false)
            else if (inside(p.functions, file) && isCode(file)) {
              const name = path.basename(file).replace(/\.[^.]+$/, "")
              if (!fs.existsSync(file)) continue
              const problem = yield* options.functions.check(name)
              options.pins.codeChanged()
              if (Option.isSome(problem)) {
                log(`${show(file)}: error: ${problem.value.message}\n`)
                say(`${show(file)} has errors; the previous version keeps serving until they are fixed\n`)
              } else say(`${show(file)} changed: loaded, runs started from now use it\n`)
            } else if ((inside(p.customAgents, file) || inside(p.customTools, file)) && isCode(file)) {
              if (!fs.existsSync(file)) continue
              const problem = yield* options.modules.check(file)
              options.pins.codeChanged()
              if (Option.isSome(problem)) {
                log(moduleProblem(problem.value))
                say(`${show(file)} has errors; the previous version keeps serving until they are fixed\n`)
              } else say(`${show(file)} changed: loaded, runs started from now use it\n`)
            }
          }
          if (host && fs.existsSync(hostServices)) {
            const problem = yield* options.modules.check(hostServices)
            if (Option.isSome(problem)) {
              log(moduleProblem(problem.value))
              say(`${show(hostServices)} has errors; the previous host services keep serving until they are fixed\n`)
            } else if (!config) {
              say(`${show(hostServices)} changed: restarting the server with the new host services\n`)
              return yield* options.restart(options.config)
            }
          }
          if (config) {
            const loaded = yield* options.reloadConfig
            if ("config" in loaded) {
              say(`${show(options.configFile)} changed: restarting the server with the new configuration\n`)
              return yield* options.restart(loaded.config)
            }
            printDiagnostics(loaded.diagnostics)
            say(`${show(options.configFile)}: ${loaded.message}; the previous configuration keeps serving until it is fixed\n`)
          }
        })

      yield* Effect.forkScoped(
        Effect.gen(function* () {
          const workflows = yield* options.repository.list
          let broken = 0
          for (const w of workflows) {
            yield* checkWorkflow(w.location.path, true)
            if (!lastGood.has(w.location.path)) broken++
          }
          say(`ready: ${workflows.length} workflow${workflows.length === 1 ? "" : "s"} checked${broken > 0 ? `, ${broken} with errors (\`agentmap validate\` shows them)` : ""}\n`)
          while (true) yield* Effect.flatMap(Queue.take(changes), handle)
        })
      )
    })
  )
