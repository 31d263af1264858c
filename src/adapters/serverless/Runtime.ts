import * as fs from "node:fs"
import * as path from "node:path"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Headers, HttpTraceContext } from "@effect/platform"
import { Cause, Effect, Exit, Layer, ManagedRuntime, Option } from "effect"
import { TriggerService } from "../../application/TriggerService.js"
import { InvalidConfig } from "../../domain/Errors.js"
import type { TriggerConfig } from "../../domain/TriggerMapping.js"
import * as AppLayer from "../AppLayer.js"
import type { AppConfig } from "../config/AppConfig.js"
import { loadConfig } from "../config/ConfigLoader.js"
import { packageVersion } from "../version/PackageVersion.js"
import * as CompiledUserModules from "../modules/CompiledUserModules.js"
import * as CompiledUserFunctions from "../functions/CompiledUserFunctions.js"
import * as HttpServer from "../http/Server.js"
import * as Routes from "../http/Routes.js"
import * as TtyTerminal from "../terminal/TtyTerminal.js"
import { bundleRoot } from "./BundleRoot.js"
import * as Logging from "../logging/Logging.js"
import { makePlainHandler, type PlainRequest, type PlainResponse } from "./PlainHttp.js"
import { noKeyYet, unreachableAuth } from "./AuthReadiness.js"
import type { Problem } from "./Problem.js"
import { type Platform, withInvocationSpan } from "./InvocationSpan.js"
import { TelemetryControl } from "../telemetry/Telemetry.js"

export type { Platform }

export type { Problem }

/** What one container keeps between invocations: configuration, stores, compiled workflows, the HTTP routes. */
export interface Container {
  readonly config: AppConfig
  readonly triggers: TriggerConfig
  /** Runs a trigger program with log lines tagged by the invocation's correlation id. */
  readonly run: <A>(
    program: Effect.Effect<A, { readonly _tag: string; readonly message: string }, TriggerService>,
    correlationId: string,
    messageId?: string
  ) => Promise<Exit.Exit<A, Problem>>
  /** The HTTP routes of `agentmap serve`, for requests decoded from the platform's events. */
  /** Answers an HTTP event; `invocationId` is the platform's request id (the invocation span's `faas.invocation_id`). */
  readonly http: (request: PlainRequest, invocationId: string) => Promise<PlainResponse>
  /** Set when this configuration can never serve an HTTP request: every one is answered 503 with it. */
  readonly httpRefusal: Problem | undefined
  readonly log: (level: "info" | "warning" | "error", message: string, correlationId: string) => Promise<void>
}

export interface RuntimeOptions {
  /** Where the platform mounts HTTP routes (Azure: `/api`). */
  readonly prefix?: `/${string}`
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
  /** Which cloud this handler serves (`cloud.provider` on invocation spans). */
  readonly platform?: Platform
}

const explicitBackend = (config: AppConfig) => {
  const persistence = config.raw["persistence"]
  return typeof persistence === "object" && persistence !== null && typeof (persistence as Record<string, unknown>)["backend"] === "string"
}

/**
 * Cloud defaults on top of the configuration: without a configured backend a function keeps
 * nothing between invocations (memory), and a bundle cannot open SQLite (no native code in it).
 */
const forCloud = (config: AppConfig, bundled: boolean): AppConfig => {
  if (!explicitBackend(config)) return { ...config, persistence: { ...config.persistence, backend: "memory" } }
  if (bundled && config.persistence.backend === "sqlite")
    throw new InvalidConfig({
      file: config.file ?? "(environment)",
      diagnostics: [],
      message: "persistence.backend is sqlite, but a cloud bundle carries no native SQLite: use postgres (AGENTMAP_PERSISTENCE__BACKEND=postgres and AGENTMAP_POSTGRES_URL) or memory"
    })
  return config
}

/** The working directory, unless this is a cloud bundle started elsewhere without a configuration there: then the bundle's folder. */
const baseFolder = () => {
  const bundle = bundleRoot()
  return bundle !== undefined && !fs.existsSync(path.join(process.cwd(), "agentmap_config.yaml")) ? bundle : process.cwd()
}

const hasCsv = (dir: string): boolean =>
  fs.readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? hasCsv(path.join(dir, e.name)) : e.name.endsWith(".csv")))

/** Where this container looked for its configuration and workflows, when it found no workflows there. */
const missingWorkflows = (config: AppConfig, cwd: string): string | undefined => {
  const repository = config.paths.csvRepository
  const state = !fs.existsSync(repository) ? "does not exist" : !hasCsv(repository) ? "holds no .csv files" : undefined
  if (state === undefined) return undefined
  const configuration =
    config.file !== undefined
      ? `configuration ${config.file}`
      : `no configuration file (looked for $AGENTMAP_CONFIG_FILE, ${path.join(cwd, "agentmap_config.yaml")} and ~/.agentmap/agentmap_config.yaml)`
  return `no workflows: the workflow repository ${repository} ${state}; ${configuration}. Deploy the folder that npm run build:<cloud> wrote (its workflows/ sits beside index.js), or set AGENTMAP_CONFIG_FILE or AGENTMAP_PATHS__CSV_REPOSITORY`
}

const problemOf = (cause: Cause.Cause<{ readonly _tag: string; readonly message: string }>): Problem => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) return { error: failure.value._tag, message: failure.value.message }
  return { error: "InternalError", message: "internal error" }
}

const build = async (options: RuntimeOptions, correlationId: string): Promise<Container> => {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? baseFolder()
  const compiled = CompiledUserFunctions.compiledFunctions()
  const compiledModules = CompiledUserModules.compiledModules()
  const loaded = await Effect.runPromise(
    loadConfig({ explicit: undefined, env, cwd }).pipe(
      Effect.mapError((e) =>
        e._tag === "InvalidConfig"
          ? { _tag: e._tag, message: [e.message, ...e.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`)].join("; ") }
          : e
      ),
      Effect.either
    )
  ).then((r) => {
    if (r._tag === "Left") throw r.left
    return r.right
  })
  const config = forCloud(loaded.config, compiled !== undefined)
  const logging = Logging.layerFor(config, "cloud")
  const services = Layer.merge(
    AppLayer.layer({
      config,
      cwd,
      terminal: TtyTerminal.layerNone,
      ...(compiled !== undefined ? { functions: CompiledUserFunctions.layer(compiled) } : {}),
      ...(compiledModules !== undefined ? { modules: CompiledUserModules.layer(compiledModules, cwd) } : {})
    }),
    HttpServer.settingsLayer(config, packageVersion())
  ).pipe(Layer.provide(logging))
  const runtime = ManagedRuntime.make(Layer.merge(services, logging))
  const context = (await runtime.runtime()).context
  const routes = Routes.layer(options.prefix !== undefined ? { prefix: options.prefix } : {}).pipe(
    Layer.provide(Layer.succeedContext(context)),
    Layer.provide(NodeHttpServer.layerContext),
    Layer.provide(logging)
  )
  // spans are exported before an invocation returns: a frozen or recycled container would lose them
  const flush = () => runtime.runPromise(Effect.flatMap(TelemetryControl, (t) => t.flush))
  const serveHttp = makePlainHandler(routes)
  // an HTTP event is an invocation span too (faas.trigger http), a child of the caller's traceparent;
  // the routes' http.server span continues from it through the traceparent handed to them
  const http = (request: PlainRequest, invocationId: string) =>
    runtime
      .runPromise(
        Effect.flatMap(Effect.currentSpan, (span) => serveHttp({ ...request, headers: { ...request.headers, ...HttpTraceContext.toHeaders(span) } })).pipe(
          withInvocationSpan(options.platform, invocationId, undefined, "http"),
          (invocation) => Option.match(HttpTraceContext.fromHeaders(Headers.fromInput(request.headers)), { onNone: () => invocation, onSome: (parent) => Effect.withParentSpan(invocation, parent) }),
          Effect.orDie
        )
      )
      .finally(flush)
  const log = (level: "info" | "warning" | "error", message: string, id: string) =>
    runtime.runPromise(
      (level === "info" ? Effect.logInfo(message) : level === "warning" ? Effect.logWarning(message) : Effect.logError(message)).pipe(
        Effect.annotateLogs({ correlation_id: id })
      )
    )
  for (const d of loaded.diagnostics) await log("warning", `${d.file}:${d.line}:${d.column}: ${d.message}`, correlationId)
  const missing = missingWorkflows(config, cwd)
  if (missing !== undefined) await log("error", missing, correlationId)
  if (config.persistence.backend === "memory")
    await log(
      "warning",
      "persistence.backend is memory: runs work, but a suspended run will not survive this container (set persistence.backend: postgres to resume across invocations)",
      correlationId
    )
  const httpRefusal = unreachableAuth(config)
  if (httpRefusal !== undefined)
    await log("error", `${httpRefusal.message}. Until then HTTP requests answer 503; queue and event triggers still run`, correlationId)
  const keyWarning = await runtime.runPromise(noKeyYet(config))
  if (keyWarning !== undefined) await log("warning", keyWarning, correlationId)
  return {
    config,
    triggers: config.triggers,
    run: async (program, id, messageId) => {
      const exit = await runtime.runPromiseExit(
        program.pipe(
          Effect.tapDefect((defect) => Effect.logError("invocation failed", Cause.pretty(Cause.die(defect)))),
          withInvocationSpan(options.platform, id, messageId),
          Effect.annotateLogs({ correlation_id: id })
        )
      )
      await flush()
      return Exit.isSuccess(exit) ? Exit.succeed(exit.value) : Exit.fail(problemOf(exit.cause))
    },
    http,
    httpRefusal,
    log
  }
}

/**
 * The container's runtime, built on the first invocation and reused by every later one (the
 * module stays loaded between invocations). A failed start is not kept: the next invocation
 * tries again, so a fixed environment needs no redeploy.
 */
export const containerRuntime = (options: RuntimeOptions = {}) => {
  let pending: Promise<Container> | undefined
  return (correlationId: string): Promise<Container> => {
    pending ??= build(options, correlationId).catch((e: unknown) => {
      pending = undefined
      throw e
    })
    return pending
  }
}

/** Why the container could not start, as the problem an invocation reports. */
export const startProblem = (e: unknown): Problem =>
  typeof e === "object" && e !== null && "_tag" in e && "message" in e
    ? { error: String((e as { _tag: unknown })._tag), message: String((e as { message: unknown }).message) }
    : { error: "InternalError", message: e instanceof Error ? e.message : String(e) }
