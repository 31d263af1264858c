import * as path from "node:path"
import { Deferred, Effect, Layer } from "effect"
import { InvalidConfig } from "../../../domain/Errors.js"
import { UserFunctions } from "../../../ports/UserFunctions.js"
import { UserModules } from "../../../ports/UserModules.js"
import { WorkflowRepository } from "../../../ports/WorkflowRepository.js"
import * as AppLayer from "../../AppLayer.js"
import * as QueueConsumer from "../../queue/QueueConsumer.js"
import type { AppConfig } from "../../config/AppConfig.js"
import { loadConfig } from "../../config/ConfigLoader.js"
import * as HttpServer from "../../http/Server.js"
import * as Logging from "../../logging/Logging.js"
import * as ModuleUserModules from "../../modules/ModuleUserModules.js"
import * as LastGoodModules from "../../reload/LastGoodModules.js"
import * as PinnedWorkflowRepository from "../../reload/PinnedWorkflowRepository.js"
import * as Reloader from "../../reload/Reloader.js"
import * as FileWorkflowRepository from "../../repository/FileWorkflowRepository.js"
import * as TtyTerminal from "../../terminal/TtyTerminal.js"
import { packageVersion } from "../../version/PackageVersion.js"
import { ExitCode } from "../ExitCodes.js"
import { listenError } from "./ListenError.js"
import { shutdownSignal } from "./ShutdownSignal.js"

export interface ReloadOptions {
  readonly config: AppConfig
  readonly cwd: string
  readonly bind: { readonly host: string; readonly port: number }
  readonly explicitConfig: string | undefined
  readonly logLevel: string | undefined
}

const log = (line: string) => void process.stderr.write(line)

/**
 * `serve --reload`: one generation of the server per configuration. Workflow, function and module
 * edits apply inside a generation; a config file (or host services) edit that checks out starts
 * the next generation on the same address, after the current one has drained.
 */
export const serveWithReload = (options: ReloadOptions) =>
  Effect.gen(function* () {
    const { cwd } = options
    let config = options.config
    let bind = options.bind
    const configFile = config.file ?? path.join(cwd, "agentmap_config.yaml")
    const reloadConfig = loadConfig({ explicit: options.explicitConfig, env: process.env, cwd }).pipe(
      Effect.map(({ config }) => ({ config })),
      Effect.catchAll((e) => Effect.succeed(e instanceof InvalidConfig ? { diagnostics: e.diagnostics, message: e.message } : { diagnostics: [], message: e.message }))
    )
    const lastGood = new Map<string, string>()
    while (true) {
      const restart = yield* Deferred.make<AppConfig>()
      const generation = config
      const functions = LastGoodModules.functions({ directory: generation.paths.functions, cacheDirectory: generation.paths.cache })
      const modules = LastGoodModules.modules(ModuleUserModules.make({ cacheDirectory: generation.paths.cache }))
      const files = FileWorkflowRepository.make({ root: generation.paths.csvRepository, cwd })
      const pins = PinnedWorkflowRepository.make(files)
      const serving = AppLayer.layer({
        config: generation,
        cwd,
        terminal: TtyTerminal.layerNone,
        longLived: true,
        functions: Layer.succeed(UserFunctions, functions.service),
        modules: Layer.succeed(UserModules, modules.service),
        repository: Layer.succeed(WorkflowRepository, pins.service)
      })
      const server = HttpServer.layer({
        ...bind,
        graceMillis: generation.http.shutdownGraceMillis,
        keepAliveTimeoutMillis: generation.http.keepAliveTimeoutMillis,
        onListening: (address) => {
          // a later generation listens where this one did (also after --port 0)
          bind = { ...bind, port: address.port }
          log(`agentmap: serving http://${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port} (reloading on changes)\n`)
        }
      }).pipe(Layer.provide(HttpServer.settingsLayer(generation, packageVersion())))
      const reloader = Reloader.layer({
        config: generation,
        cwd,
        configFile,
        repository: files,
        pins,
        modules,
        functions,
        reloadConfig,
        restart: (next) => Deferred.succeed(restart, next).pipe(Effect.asVoid),
        log,
        lastGood
      })
      const all = Layer.mergeAll(server, reloader, QueueConsumer.layer(generation.queue.concurrency)).pipe(Layer.provide(serving), Layer.provide(Logging.layerFor(generation, "serve", options.logLevel)))
      const outcome = yield* Effect.raceFirst(
        Layer.launch(all).pipe(
          Effect.mapError((e) => ((e as { readonly _tag?: unknown })._tag === "ServeError" ? listenError(e, bind) : e)),
          Effect.as(undefined)
        ),
        Effect.race(Effect.as(shutdownSignal, undefined), Deferred.await(restart))
      )
      if (outcome === undefined) return ExitCode.Ok
      config = outcome
    }
  })
