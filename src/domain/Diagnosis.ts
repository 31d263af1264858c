import { isBuiltinAgentType, maySuspend } from "./AgentType.js"
import { isJsonObject } from "./Json.js"
import { type Provider, providerNamed } from "./Llm.js"
import type { GraphSpec, NodeSpec } from "./Workflow.js"

/** ✔ fine, ⚠ optional or worth a look (never fails `diagnose`), ✖ a problem (exit 1). */
export type CheckStatus = "ok" | "warn" | "error"

/** One line of the checklist: what was checked, what was found, and what to do about a problem. */
export interface Check {
  /** The part of the system (`config`, `paths`, `persistence`, `llm`, `modules`, `mcp`, `cache`, `workflow`). */
  readonly section: string
  readonly name: string
  readonly status: CheckStatus
  readonly detail: string
  /** One line: what to set or run. Present on every ⚠ and ✖. */
  readonly advice?: string
}

export const ok = (section: string, name: string, detail: string): Check => ({ section, name, status: "ok", detail })
export const warn = (section: string, name: string, detail: string, advice: string): Check => ({ section, name, status: "warn", detail, advice })
export const fail = (section: string, name: string, detail: string, advice: string): Check => ({ section, name, status: "error", detail, advice })

/** The worst status among the checks: the document's overall status. */
export const overall = (checks: ReadonlyArray<Check>): CheckStatus =>
  checks.some((c) => c.status === "error") ? "error" : checks.some((c) => c.status === "warn") ? "warn" : "ok"

/** Built-in agents that call a model, and the provider they name when they are provider-specific. */
const MODEL_AGENTS: ReadonlySet<string> = new Set(["llm", "openai", "anthropic", "google", "orchestrator"])

/**
 * The provider a node calls, if it calls one: a provider-specific agent (`openai`), or an `llm`
 * / `orchestrator` node's Context `provider` (or `llm.default_provider`), or a `summary` node
 * with Context `llm`.
 */
export const providerOfNode = (node: NodeSpec, defaultProvider: Provider): Provider | undefined => {
  const context = isJsonObject(node.context) ? node.context : {}
  const named = providerNamed(context["provider"] ?? context["llm_provider"] ?? context["llm_type"] ?? (typeof context["llm"] === "string" ? context["llm"] : undefined))
  if (node.agentType === "summary") return context["llm"] === undefined || context["llm"] === false ? undefined : (named ?? defaultProvider)
  if (!MODEL_AGENTS.has(node.agentType)) return undefined
  return providerNamed(node.agentType) ?? named ?? defaultProvider
}

/** What a workflow's graphs need from the deployment, read from the CSV alone. */
export interface WorkflowNeeds {
  /** Each agent type used, with the nodes using it, in order of first use. */
  readonly agentTypes: ReadonlyArray<{ readonly type: string; readonly builtin: boolean; readonly nodes: ReadonlyArray<string> }>
  /** Each provider called, with the nodes calling it. */
  readonly providers: ReadonlyArray<{ readonly provider: Provider; readonly nodes: ReadonlyArray<string> }>
  /** Nodes that may suspend a run (input, human, suspend, subgraphs, custom agents). */
  readonly suspending: ReadonlyArray<string>
}

const grouped = <K>(pairs: ReadonlyArray<readonly [K, string]>) => {
  const map = new Map<K, Array<string>>()
  for (const [key, node] of pairs) map.set(key, [...(map.get(key) ?? []), node])
  return [...map.entries()]
}

export const workflowNeeds = (graphs: ReadonlyArray<GraphSpec>, defaultProvider: Provider): WorkflowNeeds => {
  const nodes = graphs.flatMap((g) => g.nodes.map((n) => ({ node: n, label: graphs.length > 1 ? `${g.name}.${n.name}` : n.name })))
  return {
    agentTypes: grouped(nodes.map(({ node, label }) => [node.agentType, label] as const)).map(([type, names]) => ({
      type,
      builtin: isBuiltinAgentType(type),
      nodes: names
    })),
    providers: grouped(nodes.flatMap(({ node, label }) => {
      const p = providerOfNode(node, defaultProvider)
      return p === undefined ? [] : [[p, label] as const]
    })).map(([provider, names]) => ({ provider, nodes: names })),
    suspending: nodes.filter(({ node }) => maySuspend(node.agentType)).map(({ label }) => label)
  }
}
