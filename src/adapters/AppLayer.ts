import { Layer } from "effect"
import * as AgentRegistry from "../application/agents/AgentRegistry.js"
import * as AuthService from "../application/AuthService.js"
import * as CacheRefresh from "../application/CacheRefresh.js"
import * as CustomAgents from "../application/CustomAgents.js"
import * as GraphInspector from "../application/GraphInspector.js"
import * as LeaseKeeper from "../application/LeaseKeeper.js"
import * as PlanBuilder from "../application/PlanBuilder.js"
import * as Scaffolder from "../application/Scaffolder.js"
import * as ThreadService from "../application/ThreadService.js"
import * as Assistants from "../application/Assistants.js"
import * as LangGraphThreads from "../application/LangGraphThreads.js"
import { assistantUuid } from "./ids/AssistantUuid.js"
import * as TriggerService from "../application/TriggerService.js"
import * as WorkflowCatalog from "../application/WorkflowCatalog.js"
import * as WorkflowService from "../application/WorkflowService.js"
import * as LangGraphRuns from "../application/LangGraphRuns.js"
import * as FetchWebhooks from "./webhooks/FetchWebhooks.js"
import type { CheckpointStore } from "../ports/CheckpointStore.js"
import type { IdempotencyStore } from "../ports/IdempotencyStore.js"
import type { KeyStore } from "../ports/KeyStore.js"
import type { LanguageModels } from "../ports/LanguageModels.js"
import { Settings } from "../ports/Settings.js"
import type { Terminal } from "../ports/Terminal.js"
import type { ThreadMetadata } from "../ports/ThreadMetadata.js"
import type { ThreadRegistry } from "../ports/ThreadRegistry.js"
import type { RunStore } from "../ports/RunStore.js"
import type { AgentDefinition } from "../ports/AgentDefinition.js"
import type { UserFunctions } from "../ports/UserFunctions.js"
import type { UserModules } from "../ports/UserModules.js"
import type { WorkflowRepository } from "../ports/WorkflowRepository.js"
import * as NodeCredentials from "./auth/NodeCredentials.js"
import * as FileCompileCache from "./cache/FileCompileCache.js"
import type { AppConfig } from "./config/AppConfig.js"
import * as ModuleUserFunctions from "./functions/ModuleUserFunctions.js"
import * as FolderAgentCatalog from "./modules/FolderAgentCatalog.js"
import * as HostServicesLayer from "./modules/HostServicesLayer.js"
import * as ModuleUserModules from "./modules/ModuleUserModules.js"
import * as ToolSourcesLive from "./tools/ToolSourcesLive.js"
import * as TimeOrderedThreadIds from "./ids/TimeOrderedThreadIds.js"
import * as LazyEngine from "./langgraph/LazyEngine.js"
import * as HttpLanguageModels from "./llm/HttpLanguageModels.js"
import * as FileDocumentStorage from "./storage/FileDocumentStorage.js"
import type { LangGraphSaver } from "./persistence/LangGraphSaver.js"
import * as MemoryPersistence from "./persistence/MemoryPersistence.js"
import * as QueueLayer from "./queue/QueueLayer.js"
import * as PostgresPersistence from "./persistence/PostgresPersistence.js"
import * as SqlitePersistence from "./persistence/SqlitePersistence.js"
import * as FilePromptLibrary from "./prompts/FilePromptLibrary.js"
import * as FileWorkflowRepository from "./repository/FileWorkflowRepository.js"
import * as NodeUserCodeFiles from "./scaffold/NodeUserCodeFiles.js"
import * as Diagnosis from "./diagnose/Diagnosis.js"
import * as Telemetry from "./telemetry/Telemetry.js"
import { packageVersion } from "./version/PackageVersion.js"

export interface AppOptions {
  readonly config: AppConfig
  readonly cwd: string
  /** Who answers `input` nodes: a TTY for the CLI, nobody for servers. */
  readonly terminal: Layer.Layer<Terminal>
  /** Where workflows are read (default: the files of `paths.csv_repository`; `serve --reload` keeps a broken edit's previous version). */
  readonly repository?: Layer.Layer<WorkflowRepository>
  /** Where routing functions come from (default: the functions folder, TypeScript compiled on load). */
  readonly functions?: Layer.Layer<UserFunctions>
  /** The chat models (default: the providers of `llm:` over HTTP; tests hand in a scripted fake). */
  readonly models?: Layer.Layer<LanguageModels>
  /** Where custom agent, tool and host-services modules come from (default: compiled from their folders on load). */
  readonly modules?: Layer.Layer<UserModules>
  /** Custom agents registered in code (`createAgentMap({ agents })`), besides `paths.custom_agents`. */
  readonly agents?: Readonly<Record<string, AgentDefinition<never>>>
  /** Host services handed in code (`ctx.services`), besides the `paths.host_services` module. */
  readonly services?: Readonly<Record<string, unknown>>
  /** A process that serves many runs (`serve`, an embedding host): stores may keep background work. */
  readonly longLived?: boolean
  /** `--config F` as the CLI got it, for diagnose's account of where the configuration came from. */
  readonly explicitConfig?: string
}

/** `persistence.backend` picks where checkpoints, threads and execution logs live. */
export const persistence = (config: AppConfig, longLived = false) => {
  const p = config.persistence
  switch (p.backend) {
    case "memory":
      return MemoryPersistence.layer(p.memory)
    case "postgres":
      return PostgresPersistence.layer({ url: p.postgresUrl ?? "", schema: p.postgresSchema, connectTimeoutMillis: p.connectTimeoutMillis })
    case "sqlite":
      return SqlitePersistence.layer({ path: p.sqlitePath, backgroundCheckpoints: longLived })
  }
}

/** The composition root: configuration picks the adapters; every door runs the same services on top. */
export const layer = (options: AppOptions) => layerWithStores(options, persistence(options.config, options.longLived))

/** The same composition over given stores (benchmarks compare backends, including none). */
export const layerWithStores = (options: AppOptions, stores: Layer.Layer<ThreadRegistry | CheckpointStore | LangGraphSaver | KeyStore | IdempotencyStore | ThreadMetadata | RunStore>) => {
  const { config } = options
  const modules = options.modules ?? ModuleUserModules.layer({ cacheDirectory: config.paths.cache })
  const userCode = Layer.mergeAll(
    FolderAgentCatalog.layer({ directory: config.paths.customAgents, agents: options.agents }),
    HostServicesLayer.layer({ services: options.services, module: config.paths.hostServices }).pipe(Layer.provide(modules)),
    modules
  )
  const infrastructure = Layer.mergeAll(
    userCode,
    options.repository ?? FileWorkflowRepository.layer({ root: config.paths.csvRepository, cwd: options.cwd }),
    FilePromptLibrary.layer({ directory: config.paths.promptsDirectory, registryFile: config.paths.promptRegistry }),
    options.functions ?? ModuleUserFunctions.layer({ directory: config.paths.functions, cacheDirectory: config.paths.cache }),
    Layer.succeed(Settings, {
      successPolicy: config.execution.successPolicy,
      maxSteps: config.execution.maxSteps,
      trackExecutions: config.execution.trackExecutions,
      durability: config.execution.durability,
      leaseMillis: config.persistence.leaseMillis
    }),
    TimeOrderedThreadIds.layer,
    // background runs of the LangGraph API: the queue the servers (and `agentmap worker`) share
    QueueLayer.runQueue(config),
    FetchWebhooks.layer(config.queue.webhookTimeoutMillis),
    LazyEngine.layer.pipe(Layer.provide(stores)),
    stores,
    NodeCredentials.layer(config.auth.jwt),
    options.models ?? HttpLanguageModels.layer(config.llm),
    HttpLanguageModels.settingsLayer(config.llm),
    FileDocumentStorage.layer({ root: config.paths.storage }),
    NodeUserCodeFiles.layer({ customAgents: config.paths.customAgents, functions: config.paths.functions, customTools: config.paths.customTools }, options.cwd),
    options.terminal,
    FileCompileCache.layer({
      directory: config.paths.cache,
      maxBytes: config.cache.maxBytes,
      functions: config.paths.functions,
      customAgents: config.paths.customAgents,
      customTools: config.paths.customTools,
      hostServices: config.paths.hostServices
    }),
    // tool modules (paths.custom_tools) and MCP servers (mcp.servers), through the same module loader as custom agents; servers stop when the layer is released
    ToolSourcesLive.layer({ customTools: config.paths.customTools, mcpServers: config.mcp.servers }).pipe(Layer.provide(modules))
  )
  const diagnosis = Diagnosis.layer({
    config,
    cwd: options.cwd,
    version: packageVersion(),
    ...(options.explicitConfig !== undefined ? { explicitConfig: options.explicitConfig } : {})
  }).pipe(Layer.provide(WorkflowCatalog.layer))
  return Layer.mergeAll(TriggerService.layer, ThreadService.layer, WorkflowCatalog.layer, GraphInspector.layer, AuthService.layer, Scaffolder.layer, CacheRefresh.layer, diagnosis, LangGraphThreads.layer, LangGraphRuns.layer, Assistants.layer(assistantUuid).pipe(Layer.provide(WorkflowCatalog.layer))).pipe(
    Layer.provideMerge(WorkflowService.layer),
    Layer.provideMerge(PlanBuilder.layer),
    Layer.provideMerge(CustomAgents.layer),
    Layer.provideMerge(LeaseKeeper.layer),
    Layer.provideMerge(AgentRegistry.layer),
    Layer.provideMerge(infrastructure),
    // first, so every service below is built (and every span made) under the configured tracer
    Layer.provideMerge(Telemetry.layer(config.telemetry, packageVersion()))
  )
}
