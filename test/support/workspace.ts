import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Either, Layer } from "effect"
import type { ExecuteRequest } from "../../src/application/Requests.js"
import type { ThreadService } from "../../src/application/ThreadService.js"
import { WorkflowService } from "../../src/application/WorkflowService.js"
import * as AppLayer from "../../src/adapters/AppLayer.js"
import { loadConfig } from "../../src/adapters/config/ConfigLoader.js"
import type { LanguageModels } from "../../src/ports/LanguageModels.js"
import * as TtyTerminal from "../../src/adapters/terminal/TtyTerminal.js"

/** A temporary project folder holding the given files (paths relative to it). */
export const workspace = (files: Readonly<Record<string, string>>): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-test-"))
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, content)
  }
  return dir
}

export interface AppOptions {
  /** Answers a person types at the terminal; without them nobody is there to ask. */
  readonly answers?: ReadonlyArray<string>
  readonly env?: Record<string, string>
  /** Chat models to use instead of the configured providers (a scripted fake). */
  readonly models?: Layer.Layer<LanguageModels>
}

/** The real application (real adapters, files in `dir`), configured the way the CLI does it. */
export const appLayer = (dir: string, options: AppOptions = {}) =>
  Layer.unwrapEffect(
    loadConfig({ explicit: undefined, env: options.env ?? {}, cwd: dir, home: dir }).pipe(
      Effect.map(({ config }) =>
        AppLayer.layer({
          config,
          cwd: dir,
          terminal: options.answers === undefined ? TtyTerminal.layerNone : TtyTerminal.layerScripted(options.answers),
          ...(options.models !== undefined ? { models: options.models } : {})
        })
      ),
      Effect.orDie
    )
  )

/** Runs an effect that needs the application's services against the real application in `dir`. */
export const inApp = <A, E>(dir: string, effect: Effect.Effect<A, E, WorkflowService | ThreadService>, options: AppOptions = {}) =>
  Effect.runPromise(effect.pipe(Effect.provide(appLayer(dir, options)), Effect.either))

export const withApp = <A, E>(dir: string, use: (service: WorkflowService["Type"]) => Effect.Effect<A, E>, options: AppOptions = {}) =>
  Effect.runPromise(Effect.flatMap(WorkflowService, use).pipe(Effect.provide(appLayer(dir, options)), Effect.either))

export const execute = (dir: string, request: ExecuteRequest, options: AppOptions = {}) => withApp(dir, (s) => s.execute(request), options)

/** The result document of a run that must start. */
export const run = async (dir: string, request: ExecuteRequest, options: AppOptions = {}) => {
  const outcome = await execute(dir, request, options)
  if (Either.isLeft(outcome)) throw new Error(`run did not start: ${JSON.stringify(outcome.left)}`)
  return outcome.right.result
}

/** The error a run that must not start ends with. */
export const refused = async (dir: string, request: ExecuteRequest, options: AppOptions = {}) => {
  const outcome = await execute(dir, request, options)
  if (Either.isRight(outcome)) throw new Error(`run started: ${JSON.stringify(outcome.right.result)}`)
  return outcome.left
}
