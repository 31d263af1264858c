import { isBuiltinAgentType } from "./AgentType.js"
import type { InputBinding, OutputBinding } from "./Bindings.js"
import { type Routing, staticTargets } from "./Routing.js"
import { parseAvailableTools, parseToolSource } from "./ToolList.js"
import type { GraphSpec, NodeSpec } from "./Workflow.js"

/** One CSV row that uses a stub: what the stub's doc comment tells its author about it. */
export interface StubUsage {
  readonly graph: string
  readonly node: string
  readonly file: string
  readonly line: number
  readonly declaredType: string
  readonly description: string
  readonly prompt: string
  readonly inputs: ReadonlyArray<InputBinding>
  readonly outputs: ReadonlyArray<OutputBinding>
  readonly contextKeys: ReadonlyArray<string>
  /** Nodes of the graph that lead here. */
  readonly from: ReadonlyArray<string>
  readonly routing: Routing
  readonly toolSource: string
}

/**
 * What a workflow needs that may not exist yet: a custom agent type, a routing function, a tool in
 * a module. `Unscaffoldable` is a tool reference scaffold cannot write (an MCP server's tool, `*`, no
 * Tool_Source), reported so the author knows why nothing was written.
 */
export type ScaffoldNeed =
  | { readonly _tag: "Agent"; readonly type: string; readonly usages: ReadonlyArray<StubUsage> }
  | { readonly _tag: "Function"; readonly name: string; readonly usages: ReadonlyArray<StubUsage> }
  | {
      readonly _tag: "Tool"
      readonly name: string
      readonly description: string | undefined
      /** The Tool_Source cell, a module path (upstream's `.py` references included). */
      readonly source: string
      readonly usages: ReadonlyArray<StubUsage>
    }
  | { readonly _tag: "Unscaffoldable"; readonly kind: "tool"; readonly name: string; readonly reason: string; readonly usages: ReadonlyArray<StubUsage> }

/**
 * Types that are built in on the tool-agent branch of issue 18 (`tool_agent`, `tool`): never
 * scaffolded as custom agents. Remove once `tool` is in BuiltinAgentTypes.
 */
const OTHER_BUILTINS: ReadonlySet<string> = new Set(["tool"])

export const isScaffoldableAgentType = (type: string): boolean => !isBuiltinAgentType(type) && !OTHER_BUILTINS.has(type)

const usageOf = (graph: GraphSpec, node: NodeSpec): StubUsage => ({
  graph: graph.name,
  node: node.name,
  file: node.file,
  line: node.line,
  declaredType: node.declaredType,
  description: node.description,
  prompt: node.prompt,
  inputs: node.inputs,
  outputs: node.outputs,
  contextKeys: Object.keys(node.context),
  from: graph.nodes.filter((n) => n !== node && staticTargets(n.routing).includes(node.name)).map((n) => n.name),
  routing: node.routing,
  toolSource: node.toolSource
})

/** Every agent type, routing function and tool the graphs use that is not built in, grouped, in file order. */
export const collectNeeds = (graphs: ReadonlyArray<GraphSpec>): ReadonlyArray<ScaffoldNeed> => {
  const needs = new Map<string, ScaffoldNeed>()
  const add = (key: string, make: () => ScaffoldNeed, usage: StubUsage) => {
    const known = needs.get(key)
    needs.set(key, known === undefined ? make() : ({ ...known, usages: [...known.usages, usage] } as ScaffoldNeed))
  }
  for (const graph of graphs) {
    for (const node of graph.nodes) {
      const usage = usageOf(graph, node)
      if (isScaffoldableAgentType(node.agentType)) add(`agent:${node.agentType}`, () => ({ _tag: "Agent", type: node.agentType, usages: [usage] }), usage)
      if (node.routing._tag === "Function") {
        const name = node.routing.name
        add(`function:${name}`, () => ({ _tag: "Function", name, usages: [usage] }), usage)
      }
      const tools = parseAvailableTools(node.availableTools)
      if (tools._tag !== "Ok") continue
      const source = parseToolSource(node.toolSource)
      for (const tool of tools.tools) {
        const unscaffoldable = (reason: string) =>
          add(`tool:${source._tag}:${tool.name}:${reason}`, () => ({ _tag: "Unscaffoldable", kind: "tool", name: tool.name, reason, usages: [usage] }), usage)
        if (tool.name === "*") unscaffoldable("'*' names every tool of the source; name the tools to scaffold them")
        else if (source._tag === "Mcp") unscaffoldable(`served by the MCP server '${source.server}'`)
        else if (source._tag === "None") unscaffoldable("the row has no Tool_Source naming the module to write it in")
        else
          add(
            `tool:${source.path}\u0000${tool.name}`,
            () => ({ _tag: "Tool", name: tool.name, description: tool.description, source: source.path, usages: [usage] }),
            usage
          )
      }
    }
  }
  return [...needs.values()]
}
