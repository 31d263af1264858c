import { Effect } from "effect"
import { isBuiltinAgentType } from "../domain/AgentType.js"
import { type Diagnostic, error, warning } from "../domain/Diagnostic.js"
import { didYouMean } from "../domain/Suggest.js"
import { parseAvailableTools, parseToolSource, type ToolRef } from "../domain/ToolList.js"
import { type NodeSpec, nodeAt } from "../domain/Workflow.js"
import type { RunnableTool, ToolSources } from "../ports/Tools.js"
import { AgentFailure, type NodeTools } from "./agents/Agent.js"

/** Built-in types that use a node's tools; on other built-ins the tool columns are ignored (a warning says so). */
const TOOL_USERS = new Set(["tool", "llm", "openai", "anthropic", "google"])

/**
 * The tools Available_Tools picks from the source's, in Available_Tools order (all of them when
 * it is empty or `*`), with the CSV's inline descriptions; or the names the source lacks.
 */
export const pickTools = (refs: ReadonlyArray<ToolRef>, tools: ReadonlyArray<RunnableTool>): { readonly picked: ReadonlyArray<RunnableTool>; readonly missing: ReadonlyArray<string> } => {
  if (refs.length === 0 || refs.some((r) => r.name === "*")) {
    const described = new Map(refs.filter((r) => r.description !== undefined).map((r) => [r.name, r.description!]))
    return { picked: tools.map((t) => (described.has(t.name) ? { ...t, description: described.get(t.name)! } : t)), missing: [] }
  }
  const missing = refs.filter((r) => !tools.some((t) => t.name === r.name)).map((r) => r.name)
  const picked = refs.flatMap((r) => {
    const tool = tools.find((t) => t.name === r.name)
    return tool === undefined ? [] : [r.description !== undefined ? { ...tool, description: r.description } : tool]
  })
  return { picked, missing }
}

const lacking = (source: string, missing: ReadonlyArray<string>, tools: ReadonlyArray<RunnableTool>) =>
  `${source} has no tool ${missing.map((m) => `'${m}'${didYouMean(m, tools.map((t) => t.name))}`).join(", ")} (it has: ${tools.map((t) => t.name).join(", ") || "none"})`

/**
 * Checks a node's Tool_Source and Available_Tools and prepares its tools: a module is loaded now
 * (a missing module or tool is a diagnostic on the CSV row); an MCP server is only checked to be
 * configured, and starts when the node first runs. `from` is the CSV file (absolute).
 */
export const prepareTools = (
  sources: ToolSources["Type"],
  node: NodeSpec,
  from: string
): Effect.Effect<{
  readonly diagnostics: ReadonlyArray<Diagnostic>
  readonly tools: NodeTools | undefined
  /** The tool module (absolute), for the thread's fingerprints: resume refuses it changed. */
  readonly module?: string
}> =>
  Effect.gen(function* () {
    const source = parseToolSource(node.toolSource)
    const listed = parseAvailableTools(node.availableTools)
    const isToolAgent = node.agentType === "tool"
    const none = { diagnostics: [] as ReadonlyArray<Diagnostic>, tools: undefined }
    if (source._tag === "None" && node.availableTools.trim() === "")
      return isToolAgent
        ? { diagnostics: [error(nodeAt(node, "AgentType"), "missing-tools", `tool node '${node.name}' names no tools: give Tool_Source (a module or mcp:server) and Available_Tools`)], tools: undefined }
        : none
    if (listed._tag === "Invalid") return { diagnostics: [error(nodeAt(node, "Available_Tools"), "invalid-tools", `Available_Tools of node '${node.name}': ${listed.message}`)], tools: undefined }
    if (source._tag === "None")
      return {
        diagnostics: [error(nodeAt(node, "Available_Tools"), "missing-tool-source", `node '${node.name}' lists Available_Tools but no Tool_Source (a module such as custom_tools/math.ts, or mcp:<server>)`)],
        tools: undefined
      }
    const builtinNonUser = !TOOL_USERS.has(node.agentType) && isBuiltinAgentType(node.agentType)
    const ignored = builtinNonUser ? [warning(nodeAt(node, "Tool_Source"), "tools-ignored", `node '${node.name}' is a '${node.declaredType}' node, which does not use tools: Tool_Source and Available_Tools are ignored`)] : []
    const located = yield* sources.locate(source, from).pipe(Effect.either)
    if (located._tag === "Left") return { diagnostics: [...ignored, error(nodeAt(node, "Tool_Source"), "missing-tool-source", `node '${node.name}': ${located.left.message}`)], tools: undefined }
    const refs = listed.tools
    if (located.right._tag === "Module") {
      const module = located.right
      const { picked, missing } = pickTools(refs, module.tools)
      const notice = module.notice !== undefined ? [warning(nodeAt(node, "Tool_Source"), "python-tool-source", module.notice)] : []
      if (missing.length > 0)
        return { diagnostics: [...ignored, ...notice, error(nodeAt(node, "Available_Tools"), "missing-tool", `node '${node.name}': ${lacking(module.display, missing, module.tools)}`)], tools: undefined }
      // each run looks again, so a long-lived server picks up an edited module (UserModules reloads it only when it changed)
      const load = sources.locate(source, from).pipe(
        Effect.flatMap((again) => (again._tag === "Module" ? Effect.succeed(pickTools(refs, again.tools)) : Effect.succeed({ picked, missing: [] }))),
        Effect.mapError((e) => new AgentFailure({ type: "ToolSourceError", message: `node '${node.name}': ${e.message}` })),
        Effect.flatMap((again) =>
          again.missing.length > 0
            ? Effect.fail(new AgentFailure({ type: "ToolNotFound", message: `node '${node.name}': ${module.display} no longer has tool ${again.missing.map((m) => `'${m}'`).join(", ")}` }))
            : Effect.succeed(again.picked)
        )
      )
      return { diagnostics: [...ignored, ...notice], tools: { source: node.toolSource.trim(), load }, module: module.file }
    }
    const server = located.right
    const load = server.tools.pipe(
      Effect.mapError((e) => new AgentFailure({ type: "ToolSourceError", message: `node '${node.name}': ${e.message}` })),
      Effect.flatMap((tools) => {
        const { picked, missing } = pickTools(refs, tools)
        return missing.length > 0
          ? Effect.fail(new AgentFailure({ type: "ToolNotFound", message: `node '${node.name}': ${lacking(`MCP server '${server.server}'`, missing, tools)}` }))
          : Effect.succeed(picked)
      })
    )
    return { diagnostics: ignored, tools: { source: `mcp:${server.server}`, load } }
  })
