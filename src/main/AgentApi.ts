/**
 * What user modules (custom agents, tools, host services) use of `agentmap` at run time, for the
 * CLI: its bundle hands them this instead of the whole library (the embedding API is not needed
 * inside an agent, and bundling it would slow every cold start). The types are the library's.
 */
export { LanguageModels, LlmError, type ChatReply, type ChatRequest } from "../ports/LanguageModels.js"
export { scripted as scriptedModels, failure as modelFailure } from "../adapters/llm/ScriptedLanguageModels.js"
export { registerHostModule } from "../adapters/modules/HostModules.js"
export {
  defineAgent,
  type AgentChatReply,
  type AgentChatRequest,
  type AgentContext,
  type AgentDefinition,
  type AgentLlm,
  type AgentLog,
  type AgentResult,
  type AgentStorage,
  type HostServices,
  type ResumeAnswer
} from "../ports/AgentDefinition.js"
export { defineTool, type ToolDefinition, type ToolContext, type ToolArgs, type JsonSchemaObject, type StandardSchemaLike } from "../ports/ToolDefinition.js"
