import { Context, Effect, Layer } from "effect"
import type { BuiltinAgentType } from "../../domain/AgentType.js"
import { LanguageModels, LlmSettings } from "../../ports/LanguageModels.js"
import { DocumentStorage } from "../../ports/DocumentStorage.js"
import { Terminal } from "../../ports/Terminal.js"
import type { Agent } from "./Agent.js"
import { branchingAgent } from "./BranchingAgent.js"
import { graphAgent } from "./GraphAgent.js"
import { humanAgent } from "./HumanAgent.js"
import { inputAgent } from "./InputAgent.js"
import { llmAgent } from "./LlmAgent.js"
import { orchestratorAgent } from "./OrchestratorAgent.js"
import { defaultAgent, echoAgent, failureAgent, successAgent } from "./SimpleAgents.js"
import { storageAgents } from "./StorageAgents.js"
import { summaryAgent } from "./SummaryAgent.js"
import { suspendAgent } from "./SuspendAgent.js"
import { toolAgent } from "./ToolAgent.js"

/** One agent per built-in kind: a mapped type, so a kind added to the domain union fails the build until registered here. */
export type Agents = { readonly [K in BuiltinAgentType]: Agent }

export class AgentRegistry extends Context.Tag("agentmap/AgentRegistry")<AgentRegistry, Agents>() {}

export const layer = Layer.effect(
  AgentRegistry,
  Effect.gen(function* () {
    const terminal = yield* Terminal
    const models = yield* LanguageModels
    const settings = yield* LlmSettings
    const storage = storageAgents(yield* DocumentStorage)
    const agents: Agents = {
      default: defaultAgent,
      echo: echoAgent,
      success: successAgent,
      failure: failureAgent,
      branching: branchingAgent,
      input: inputAgent(terminal),
      summary: summaryAgent(models, settings),
      graph: graphAgent,
      suspend: suspendAgent,
      human: humanAgent,
      llm: llmAgent(models, settings, undefined),
      openai: llmAgent(models, settings, "openai"),
      anthropic: llmAgent(models, settings, "anthropic"),
      google: llmAgent(models, settings, "google"),
      orchestrator: orchestratorAgent(models, settings),
      tool: toolAgent(models, settings),
      ...storage
    }
    return agents
  })
)
