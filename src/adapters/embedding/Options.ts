import { Context, Effect, Layer } from "effect"
import * as AppLayer from "../AppLayer.js"
import * as QueueConsumer from "../queue/QueueConsumer.js"
import type { AppConfig } from "../config/AppConfig.js"
import { loadConfig } from "../config/ConfigLoader.js"
import * as HttpServer from "../http/Server.js"
import * as TtyTerminal from "../terminal/TtyTerminal.js"
import { packageVersion } from "../version/PackageVersion.js"
import type { LanguageModels } from "../../ports/LanguageModels.js"
import type { AgentDefinition, HostServices } from "../../ports/AgentDefinition.js"

/** How a host application points AgentMap at its configuration. */
export interface AgentMapOptions {
  /** A config file (like `--config`); otherwise AGENTMAP_CONFIG_FILE, ./agentmap_config.yaml, ~/.agentmap/... */
  readonly configFile?: string
  /** The folder relative paths resolve against (default: the process's working directory). */
  readonly cwd?: string
  /** Environment for `env:` values and AGENTMAP_* overrides (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Chat models instead of the providers in `llm:` (e.g. `scripted(...)` in a host's own tests). */
  readonly models?: Layer.Layer<LanguageModels>
  /** Services custom agents read as `ctx.services` (typed by augmenting `HostServices`); they win over `paths.host_services`. */
  readonly services?: Partial<HostServices> & Readonly<Record<string, unknown>>
  /** Custom agents registered in code (`{ weather: defineAgent(...) }`): no folder needed; they win over `paths.custom_agents`. */
  readonly agents?: Readonly<Record<string, AgentDefinition<never>>>
}

/** For Effect hosts: the services custom agents get, provided as a layer of the host's own (see `layerWithServices`). */
export class AgentMapServices extends Context.Tag("agentmap/HostServices")<AgentMapServices, Partial<HostServices> & Readonly<Record<string, unknown>>>() {}

/** Loads the configuration the way the CLI does; fails with InvalidConfig / FileNotFound. */
export const configFor = (options: AgentMapOptions = {}) =>
  loadConfig({ explicit: options.configFile, env: options.env ?? process.env, cwd: options.cwd ?? process.cwd() }).pipe(
    Effect.map(({ config }) => config)
  )

/** AgentMap's services (WorkflowService, ThreadService, WorkflowCatalog, AuthService, ...) for a configuration. */
export const servicesFor = (config: AppConfig, options: AgentMapOptions = {}) =>
  AppLayer.layer({
    config,
    cwd: options.cwd ?? process.cwd(),
    terminal: TtyTerminal.layerNone,
    longLived: true,
    ...(options.models !== undefined ? { models: options.models } : {}),
    ...(options.services !== undefined ? { services: options.services } : {}),
    ...(options.agents !== undefined ? { agents: options.agents } : {})
  })

/**
 * Everything a host Effect application composes: the services plus the HTTP settings the
 * routes need. Configuration errors fail the layer.
 */
export const layer = (options: AgentMapOptions = {}) =>
  Layer.unwrapEffect(
    Effect.map(configFor(options), (config) =>
      Layer.merge(
        // a host lives as long as a server does: it executes the background runs its routes queue
        QueueConsumer.layer(config.queue.concurrency).pipe(Layer.provideMerge(servicesFor(config, options))),
        HttpServer.settingsLayer(config, packageVersion())
      )
    )
  )

/**
 * `layer`, with the host services taken from the `AgentMapServices` tag: an Effect host builds
 * them with its own layers (`Layer.provide(Layer.effect(AgentMapServices, makeServices))`).
 */
export const layerWithServices = (options: Omit<AgentMapOptions, "services"> = {}) =>
  Layer.unwrapEffect(Effect.map(AgentMapServices, (services) => layer({ ...options, services })))
