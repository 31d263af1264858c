import * as path from "node:path"
import { Effect } from "effect"
import { CustomAgents } from "../../application/CustomAgents.js"
import { PlanBuilder } from "../../application/PlanBuilder.js"
import { format } from "../../domain/Diagnostic.js"
import { type Check, fail, ok, warn, workflowNeeds } from "../../domain/Diagnosis.js"
import { isJsonObject } from "../../domain/Json.js"
import type { Provider } from "../../domain/Llm.js"
import { parseToolSource } from "../../domain/ToolList.js"
import { validateRows } from "../../domain/Validation.js"
import { CustomAgentCatalog, HostServiceRegistry } from "../../ports/CustomAgentCatalog.js"
import { UserModules } from "../../ports/UserModules.js"
import { WorkflowRepository } from "../../ports/WorkflowRepository.js"

export interface AgentUse {
  readonly type: string
  readonly nodes: ReadonlyArray<string>
  /** `built-in`, `custom` (its module), `missing`, `broken` or `missing-services`. */
  readonly source: "built-in" | "custom" | "missing" | "broken" | "missing-services"
  readonly file?: string
  readonly error?: string
}

export interface WorkflowReport {
  readonly workflow: string
  readonly file: string
  readonly graphs: ReadonlyArray<string>
  readonly valid: boolean
  readonly errors: number
  readonly warnings: number
  readonly agents: ReadonlyArray<AgentUse>
  /** Providers the graphs call (and the nodes calling each); whether each is configured is under `llm`. */
  readonly providers: Readonly<Partial<Record<Provider, ReadonlyArray<string>>>>
  /** MCP servers its tool nodes use (`Tool_Source` `mcp:name`), with the nodes using each. */
  readonly mcp_servers: Readonly<Record<string, ReadonlyArray<string>>>
  readonly services: { readonly required: ReadonlyArray<string>; readonly provided: ReadonlyArray<string>; readonly missing: ReadonlyArray<string> }
  /** Nodes that may suspend a run: such a graph needs a durable store to be resumed after a restart. */
  readonly can_suspend: boolean
  readonly suspending_nodes: ReadonlyArray<string>
  readonly store_durable: boolean
}

const relative = (file: string) => {
  const r = path.relative(process.cwd(), file)
  return r !== "" && !r.startsWith("..") && !path.isAbsolute(r) ? r : file
}

export interface WorkflowCheckOptions {
  readonly address: string
  readonly graph: string | undefined
  readonly defaultProvider: Provider
  readonly durable: boolean
  readonly backend: string
}

/**
 * The workflow part of diagnose: validation as `run` applies it, where each agent type comes
 * from, which providers and host services the graphs need, and whether suspended threads survive.
 * Fails only when the workflow cannot be found (exit 3 through the caller).
 */
export const checkWorkflow = (o: WorkflowCheckOptions) =>
  Effect.gen(function* () {
    const repo = yield* WorkflowRepository
    const plans = yield* PlanBuilder
    const agents = yield* CustomAgents
    const catalog = yield* CustomAgentCatalog
    const modules = yield* UserModules
    const host = yield* HostServiceRegistry
    const checks: Array<Check> = []
    const report = yield* plans.validate(o.address, o.graph)
    const location = yield* repo.resolve(o.address)
    const csv = yield* repo.load(location)
    const graphName = o.graph ?? location.graph
    const graphs = validateRows(csv).workflow.graphs.filter((g) => graphName === undefined || g.name === graphName)
    const errors = report.diagnostics.filter((d) => d.severity === "error")
    const warnings = report.diagnostics.length - errors.length
    const name = location.display
    checks.push(
      report.valid
        ? ok("workflow", "validation", `${name}: ${report.graphs.length} graph${report.graphs.length === 1 ? "" : "s"} (${report.graphs.join(", ")}), ${warnings} warning${warnings === 1 ? "" : "s"}`)
        : fail("workflow", "validation", `${name}: ${errors.length} error${errors.length === 1 ? "" : "s"}, first: ${format(errors[0]!)}`, `agentmap validate ${name} lists every problem with its FILE:LINE:COL`)
    )
    const needs = workflowNeeds(graphs, o.defaultProvider)
    const listed = yield* Effect.either(catalog.list)
    const required = new Set<string>()
    const uses: Array<AgentUse> = []
    for (const use of needs.agentTypes) {
      const nodes = use.nodes.join(", ")
      if (use.builtin) {
        uses.push({ type: use.type, nodes: use.nodes, source: "built-in" })
        checks.push(ok("workflow", `agent ${use.type}`, `built-in (${nodes})`))
        continue
      }
      const entry = listed._tag === "Right" ? listed.right.get(use.type) : undefined
      for (const s of entry?.requires ?? []) required.add(s)
      if (entry?.file !== undefined) {
        const ns = yield* Effect.either(modules.load(entry.file))
        const def = ns._tag === "Right" ? ns.right[entry.exportName] : undefined
        const services = isJsonObject(def) && isJsonObject(def["requires"]) && Array.isArray(def["requires"]["services"]) ? def["requires"]["services"] : []
        for (const s of services) if (typeof s === "string") required.add(s)
      }
      const r = yield* agents.resolve(use.type)
      switch (r._tag) {
        case "Agent":
          uses.push({ type: use.type, nodes: use.nodes, source: "custom", ...(r.file !== undefined ? { file: r.file } : {}) })
          checks.push(ok("workflow", `agent ${use.type}`, `custom: ${r.file !== undefined ? relative(r.file) : "registered in code"} (${nodes})`))
          break
        case "Unknown":
          uses.push({ type: use.type, nodes: use.nodes, source: "missing" })
          checks.push(fail("workflow", `agent ${use.type}`, `no built-in or custom agent '${use.type}' (${nodes}); looked in ${relative(r.folder)}`, `agentmap scaffold ${name} writes a starting module for it`))
          break
        case "Broken":
          uses.push({ type: use.type, nodes: use.nodes, source: "broken", file: r.file, error: r.message })
          checks.push(fail("workflow", `agent ${use.type}`, `${relative(r.file)}:${r.line}:${r.column}: ${r.message} (${nodes})`, `fix ${relative(r.file)} at that position`))
          break
        case "MissingServices":
          uses.push({ type: use.type, nodes: use.nodes, source: "missing-services", error: `needs ${r.missing.join(", ")}` })
          checks.push(fail("workflow", `agent ${use.type}`, `needs host services ${r.missing.join(", ")} that ${r.source} does not provide (${nodes})`, "export them from the host_services module (paths.host_services) or pass createAgentMap({ services })"))
          break
      }
    }
    const provided = required.size === 0 ? [] : Object.keys(yield* host.services.pipe(Effect.orElseSucceed(() => ({}))))
    const missing = [...required].filter((s) => !provided.includes(s))
    if (required.size > 0 && missing.length === 0) checks.push(ok("workflow", "host services", `required ${[...required].join(", ")}: all provided by ${host.source}`))
    const canSuspend = needs.suspending.length > 0
    if (canSuspend && !o.durable)
      checks.push(
        warn(
          "workflow",
          "durability",
          `may suspend (${needs.suspending.join(", ")}) but persistence.backend is ${o.backend}: a suspended thread is lost when the process ends`,
          "set persistence.backend: sqlite (the default) or postgres to resume after a restart"
        )
      )
    else checks.push(ok("workflow", "durability", canSuspend ? `may suspend (${needs.suspending.join(", ")}); the ${o.backend} store keeps suspended threads` : "never suspends"))
    const mcpServers: Record<string, Array<string>> = {}
    for (const g of graphs)
      for (const n of g.nodes) {
        const source = parseToolSource(n.toolSource)
        if (source._tag === "Mcp") mcpServers[source.server] = [...(mcpServers[source.server] ?? []), graphs.length > 1 ? `${g.name}.${n.name}` : n.name]
      }
    const workflowReport: WorkflowReport = {
      workflow: o.address,
      file: location.path,
      graphs: report.graphs,
      valid: report.valid,
      errors: errors.length,
      warnings,
      agents: uses,
      providers: Object.fromEntries(needs.providers.map((p) => [p.provider, p.nodes])),
      mcp_servers: mcpServers,
      services: { required: [...required], provided, missing },
      can_suspend: canSuspend,
      suspending_nodes: needs.suspending,
      store_durable: o.durable
    }
    const needed = new Map(needs.providers.map((p) => [p.provider, p.nodes] as const))
    return { report: workflowReport, checks, needed, neededMcp: new Map(Object.entries(mcpServers)) }
  })
