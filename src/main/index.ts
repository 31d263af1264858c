/**
 * agentmap as a library. For Effect hosts: `layer` (the services) and `routes` (the HTTP API as
 * an HttpLayerRouter layer, under a prefix of your choice). For other hosts: `createWebHandler`,
 * `createNodeHandler`, and the Promise facade `createAgentMap`.
 */
export { AuthService } from "../application/AuthService.js"
export { ThreadService } from "../application/ThreadService.js"
export { WorkflowCatalog } from "../application/WorkflowCatalog.js"
export { WorkflowService } from "../application/WorkflowService.js"
export type { Diagnostic } from "../domain/Diagnostic.js"
export type { RunResult } from "../domain/RunResult.js"
export * as AppLayer from "../adapters/AppLayer.js"
// what user modules see of `agentmap` under the CLI (defineAgent, defineTool, the models port), and the rest below
export * from "./AgentApi.js"
export type { ScriptedModels } from "../adapters/llm/ScriptedLanguageModels.js"
export { layer as routes } from "../adapters/http/Routes.js"
export { layer, layerWithServices, configFor, servicesFor, AgentMapServices, type AgentMapOptions } from "../adapters/embedding/Options.js"
export { createNodeHandler, createWebHandler, type HandlerOptions } from "../adapters/embedding/Handlers.js"
export { AgentMapError, createAgentMap, type AgentMap, type RunOptions } from "../adapters/embedding/Facade.js"

import { registerHostModule as shareWithUserModules } from "../adapters/modules/HostModules.js"
// user modules (custom agents, tools, host services) importing `agentmap` get this very module;
// an entry point that registered first (the CLI bundle) keeps its own registration
shareWithUserModules("agentmap", () => import(/* @vite-ignore */ import.meta.url) as Promise<Readonly<Record<string, unknown>>>, { ifAbsent: true })
