import cluster from "node:cluster"
import { Effect, Layer } from "effect"
import { AuthService } from "../../../application/AuthService.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import * as AppLayer from "../../AppLayer.js"
import { loadConfig } from "../../config/ConfigLoader.js"
import * as QueueConsumer from "../../queue/QueueConsumer.js"
import * as TtyTerminal from "../../terminal/TtyTerminal.js"
import { runStandalone } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import * as Logging from "../../logging/Logging.js"
import { printDiagnostics } from "../Output.js"
import { packageVersion } from "../../version/PackageVersion.js"
import { command, flag, integer, text } from "../Spec.js"
import { listenError } from "./ListenError.js"
import { shutdownSignal } from "./ShutdownSignal.js"

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"])

/** `--workers N`: the primary forks N processes that share the port (node's cluster module) and passes signals on. */
const supervise = (count: number) =>
  Effect.async<number>((resume) => {
    let alive = count
    let worst = 0
    for (let i = 0; i < count; i++) cluster.fork({ AGENTMAP_SERVE_WORKER: String(i + 1) })
    const forward = (signal: NodeJS.Signals) => () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal)
    }
    process.on("SIGTERM", forward("SIGTERM"))
    process.on("SIGINT", forward("SIGINT"))
    cluster.on("exit", (_worker, code) => {
      worst = Math.max(worst, code ?? 1)
      if (--alive === 0) resume(Effect.succeed(worst))
    })
  })

export const serveCommand = command({
  name: "serve",
  summary: "Serve the HTTP API: execute, stream, resume, workflows, threads, health, /openapi.json and /docs",
  args: [],
  options: {
    host: text({ placeholder: "HOST", description: "the address to listen on (0.0.0.0: every interface)", default: "http.host, 127.0.0.1" }),
    port: integer({ short: "p", placeholder: "PORT", min: 0, description: "the port to listen on (0 picks a free one)", default: "http.port, 8000" }),
    workers: integer({ placeholder: "N", min: 1, description: "server processes sharing the port", default: "http.workers, 1" }),
    reload: flag({
      description:
        "development mode: watch the workflows, functions, custom agents, tools, host services and the config file; an edit applies to runs started after it, a broken edit is logged with its diagnostics while the previous version keeps serving (one process: not with --workers > 1)"
    })
  },
  examples: ["agentmap auth generate-key --name ci && agentmap serve --port 8000", "agentmap serve --reload", "agentmap serve --host 0.0.0.0 --workers 2 --log-level info"],
  exitCodes: "0 stopped by SIGTERM or SIGINT, 2 nobody could authenticate (no key and no JWT configuration), the address is in use, the configuration has errors, or --reload with more than one worker",
  run: ({ options: a, globals }) =>
    runStandalone(
      { json: false, indent: false },
      Effect.gen(function* () {
        const cwd = process.cwd()
        const { config, diagnostics } = yield* loadConfig({ explicit: globals.config, env: process.env, cwd })
        const isWorker = process.env["AGENTMAP_SERVE_WORKER"] !== undefined
        if (!isWorker) printDiagnostics(diagnostics)
        const bind = { host: a.host ?? config.http.host, port: a.port ?? config.http.port }
        const count = a.workers ?? config.http.workers
        if (count < 1) return yield* Effect.fail(new InvalidRequest({ message: "--workers must be at least 1" }))
        if (a.reload && count > 1)
          return yield* Effect.fail(
            new InvalidRequest({
              message: `--reload watches files in one server process and cannot be combined with ${a.workers !== undefined ? `--workers ${count}` : `http.workers: ${count} (from the configuration)`}; drop one of them (use --workers 1 to override the configuration)`
            })
          )
        const app = AppLayer.layer({ config, cwd, terminal: TtyTerminal.layerNone })
        const serving = AppLayer.layer({ config, cwd, terminal: TtyTerminal.layerNone, longLived: true })
        const logging = Logging.layerFor(config, "serve", globals.logLevel)
        if (!isWorker) {
          if (config.auth.enabled) {
            const ready = yield* Effect.flatMap(AuthService, (auth) => auth.canAuthenticate).pipe(Effect.provide(app), Effect.scoped)
            if (!ready)
              return yield* Effect.fail(
                new InvalidRequest({
                  message:
                    "authentication is on (auth.enabled) but there is no API key and no JWT configuration, so nobody could call this server; create a key with `agentmap auth generate-key --name <name>` (or configure auth.jwt, or set auth.enabled: false for a public server)"
                })
              )
          } else if (!LOOPBACK.has(bind.host))
            process.stderr.write(
              `\n  WARNING: authentication is OFF (auth.enabled: false) and the server listens on ${bind.host}: anyone who can reach this port can run and resume workflows.\n\n`
            )
          if (count > 1 && cluster.isPrimary) {
            process.stderr.write(`agentmap: starting ${count} server processes on http://${bind.host}:${bind.port}\n`)
            return yield* supervise(count)
          }
        }
        // the HTTP stack (routes, API schemas, handlers) loads only here: every other command starts without it
        if (a.reload) {
          const { serveWithReload } = yield* Effect.promise(() => import("./ServeReload.js"))
          return yield* serveWithReload({ config, cwd, bind, explicitConfig: globals.config, logLevel: globals.logLevel })
        }
        const HttpServer = yield* Effect.promise(() => import("../../http/Server.js"))
        const server = HttpServer.layer({
          ...bind,
          graceMillis: config.http.shutdownGraceMillis,
          keepAliveTimeoutMillis: config.http.keepAliveTimeoutMillis,
          onListening: (address) =>
            process.stderr.write(
              `agentmap: serving http://${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port}${isWorker ? ` (worker ${process.env["AGENTMAP_SERVE_WORKER"]}, pid ${process.pid})` : ""}\n`
            )
        }).pipe(
          Layer.provide(HttpServer.settingsLayer(config, packageVersion())),
          // background runs of the LangGraph API: this server consumes the queue while it serves
          Layer.merge(QueueConsumer.layer(config.queue.concurrency)),
          Layer.provide(serving),
          Layer.provide(logging)
        )
        yield* Effect.raceFirst(Layer.launch(server), shutdownSignal).pipe(
          Effect.mapError((e) => ((e as { readonly _tag?: unknown })._tag === "ServeError" ? listenError(e, bind) : e))
        )
        // a worker's IPC channel to the primary would keep it alive after the server closed
        if (isWorker) cluster.worker?.disconnect()
        return ExitCode.Ok
      })
    )
})
