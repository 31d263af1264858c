import { Effect, Layer } from "effect"
import { InvalidRequest } from "../../../domain/Errors.js"
import * as AppLayer from "../../AppLayer.js"
import { loadConfig } from "../../config/ConfigLoader.js"
import * as Logging from "../../logging/Logging.js"
import * as QueueConsumer from "../../queue/QueueConsumer.js"
import * as TtyTerminal from "../../terminal/TtyTerminal.js"
import { runStandalone } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { printDiagnostics } from "../Output.js"
import { command, integer } from "../Spec.js"
import { shutdownSignal } from "./ShutdownSignal.js"

export const workerCommand = command({
  name: "worker",
  summary: "Execute background runs from the shared queue, without the HTTP server (scale workers apart from the API)",
  args: [],
  options: {
    concurrency: integer({ placeholder: "N", min: 1, description: "runs executed at a time", default: "queue.concurrency, 4" })
  },
  examples: ["agentmap worker", "agentmap worker --concurrency 8 --config prod.yaml"],
  exitCodes:
    "0 stopped by SIGTERM or SIGINT (its runs in flight go back to the queue and another worker continues them), 2 the configuration has errors, or persistence.backend is memory (a worker in its own process would share no queue with any server)",
  run: ({ options: a, globals }) =>
    runStandalone(
      { json: false, indent: false },
      Effect.gen(function* () {
        const cwd = process.cwd()
        const { config, diagnostics } = yield* loadConfig({ explicit: globals.config, env: process.env, cwd })
        printDiagnostics(diagnostics)
        if (config.persistence.backend === "memory")
          return yield* Effect.fail(
            new InvalidRequest({
              message:
                "persistence.backend is memory: a worker's queue would live in its own process and no server could hand it a run; use persistence.backend: postgres (any number of servers and workers) or sqlite (one machine)"
            })
          )
        const concurrency = a.concurrency ?? config.queue.concurrency
        const consumer = QueueConsumer.layer(concurrency).pipe(
          Layer.provide(AppLayer.layer({ config, cwd, terminal: TtyTerminal.layerNone, longLived: true })),
          Layer.provide(Logging.layerFor(config, "serve", globals.logLevel))
        )
        process.stderr.write(`agentmap: worker consuming background runs from ${config.persistence.backend} (concurrency ${concurrency}, pid ${process.pid})\n`)
        yield* Effect.raceFirst(Layer.launch(consumer), shutdownSignal)
        return ExitCode.Ok
      })
    )
})
