import { Context, Effect, Layer } from "effect"
import { BuiltinAgentTypes, isBuiltinAgentType, maySuspend } from "../domain/AgentType.js"
import { type Diagnostic, error, format, hasErrors, sortByPosition, uniqueDiagnostics, warning } from "../domain/Diagnostic.js"
import { GraphNotFound, graphNotFound, InvalidRequest, InvalidWorkflow, type WorkflowNotFound } from "../domain/Errors.js"
import type { JsonObject } from "../domain/Json.js"
import { nextTargets } from "../domain/Routing.js"
import { type AddressRef, describeRef, parseAddress, subgraphRef } from "../domain/Subgraph.js"
import { didYouMean } from "../domain/Suggest.js"
import type { Snapshot } from "../domain/Thread.js"
import { type Validated, validateRows } from "../domain/Validation.js"
import { type GraphSpec, type NodeSpec, findGraph, nodeAt } from "../domain/Workflow.js"
import { PromptLibrary, isPromptReference } from "../ports/PromptLibrary.js"
import { Settings } from "../ports/Settings.js"
import { ToolSources } from "../ports/Tools.js"
import { UserFunctions } from "../ports/UserFunctions.js"
import type { RunPlan } from "../ports/WorkflowEngine.js"
import { type WorkflowLocation, WorkflowRepository } from "../ports/WorkflowRepository.js"
import { AgentFailure } from "./agents/Agent.js"
import { AgentRegistry } from "./agents/AgentRegistry.js"
import { CustomAgents, type Resolution } from "./CustomAgents.js"
import { executeNode, type PreparedNode } from "./NodeExecutor.js"
import { routeWithFunction } from "./RoutingFunctions.js"
import { prepareTools } from "./ToolPreparation.js"

/**
 * Both modes check the same rules, so `validate` fails exactly where `run` refuses to start;
 * `run` also prepares every node into a plan.
 */
export type Mode = "run" | "validate"

export interface Loaded {
  readonly location: WorkflowLocation
  readonly validated: Validated
  readonly hash: string
}

/** A plan, the file it came from, its warnings, and what a thread keeps to resume it exactly. */
export interface PlanResult {
  readonly plan: RunPlan
  readonly location: WorkflowLocation
  readonly warnings: ReadonlyArray<Diagnostic>
  readonly snapshot: Omit<Snapshot, "functions">
  /** sha256 of the CSV the graph is in. */
  readonly hash: string
  /** User functions the plan calls (routing functions), for fingerprints. */
  readonly functions: ReadonlyArray<string>
  /** Custom agent and tool modules the plan uses (absolute paths), for fingerprints. */
  readonly modules: ReadonlyArray<string>
}

export interface ValidationReport {
  readonly valid: boolean
  readonly file: string
  readonly graphs: ReadonlyArray<string>
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

type Resolve = (address: string) => Effect.Effect<WorkflowLocation, WorkflowNotFound | InvalidRequest>
type ResolveFrom = (referencingFile: string, workflow: string) => Effect.Effect<WorkflowLocation, WorkflowNotFound | InvalidRequest>

const ROOT_KEY = "<root>"
const resolutionKey = (referencingFile: string, workflow: string) => `${referencingFile}\u0000${workflow}`

/** Diagnostics that concern `graph`: its own rows plus file-level findings (header, syntax). */
const diagnosticsOf = (validated: Validated, graph: GraphSpec | undefined): ReadonlyArray<Diagnostic> => {
  if (graph === undefined) return validated.diagnostics
  const lines = new Set(graph.nodes.map((n) => n.line))
  const otherLines = new Set(validated.workflow.graphs.filter((g) => g !== graph).flatMap((g) => g.nodes.map((n) => n.line)))
  return validated.diagnostics.filter((d) => lines.has(d.line) || !otherLines.has(d.line))
}

const defaultMaxSteps = (graph: GraphSpec) => Math.max(100, graph.nodes.length * 10)

export class PlanBuilder extends Context.Tag("agentmap/PlanBuilder")<
  PlanBuilder,
  {
    /** Plans a run from the files on disk, or (with a snapshot) from exactly what a thread started with. */
    readonly plan: (
      address: string,
      graph: string | undefined,
      snapshot?: Snapshot
    ) => Effect.Effect<PlanResult, WorkflowNotFound | GraphNotFound | InvalidWorkflow | InvalidRequest>
    readonly validate: (address: string, graph: string | undefined) => Effect.Effect<ValidationReport, WorkflowNotFound | GraphNotFound | InvalidRequest>
    /** `validate`, and the user code the workflow's graphs (and their subgraphs) use: routing function names, module files. */
    readonly uses: (
      address: string
    ) => Effect.Effect<{ readonly report: ValidationReport; readonly functions: ReadonlyArray<string>; readonly modules: ReadonlyArray<string> }, WorkflowNotFound | GraphNotFound | InvalidRequest>
  }
>() {}

export const layer = Layer.effect(
  PlanBuilder,
  Effect.gen(function* () {
    const repo = yield* WorkflowRepository
    const prompts = yield* PromptLibrary
    const functions = yield* UserFunctions
    const agents = yield* AgentRegistry
    const custom = yield* CustomAgents
    const settings = yield* Settings
    const toolSources = yield* ToolSources

    /**
     * Where files come from: the repository, or a thread's snapshot (recording what was used
     * either way). Subgraphs named by state (`workflow_field`) may not be in a snapshot; those
     * come from the repository.
     */
    const sources = (snapshot: Snapshot | undefined) => {
      const files: Record<string, string> = {}
      const resolutions: Record<string, string> = {}
      const snapshotted = (key: string, graph: string | undefined): WorkflowLocation | undefined => {
        const path = snapshot?.resolutions[key]
        return path === undefined ? undefined : { path, display: path, graph }
      }
      const record = (key: string) => (location: WorkflowLocation) => Effect.sync(() => void (resolutions[key] = location.path))
      const resolve: Resolve = (address) => {
        const kept = snapshotted(ROOT_KEY, undefined)
        return (kept !== undefined ? Effect.succeed(kept) : repo.resolve(address)).pipe(Effect.tap(record(ROOT_KEY)))
      }
      const resolveFrom: ResolveFrom = (referencing, workflow) => {
        const key = resolutionKey(referencing, workflow)
        const graph = workflow.includes("::") ? workflow.slice(workflow.lastIndexOf("::") + 2).trim() || undefined : undefined
        const kept = snapshotted(key, graph)
        return (kept !== undefined ? Effect.succeed(kept) : repo.resolveFrom(referencing, workflow)).pipe(Effect.tap(record(key)))
      }
      const load = (location: WorkflowLocation) => {
        const text = snapshot?.files[location.path]
        return (text !== undefined ? Effect.succeed(repo.parse(location, text)) : repo.load(location)).pipe(
          Effect.tap((csv) => Effect.sync(() => void (files[location.path] = csv.text)))
        )
      }
      return { resolve, resolveFrom, load, recorded: () => ({ files, resolutions }) }
    }

    /** One build (a `plan` or `validate` call) reads each file once and prepares each graph once. */
    const session = (source: ReturnType<typeof sources>) => {
      const files = new Map<string, Loaded>()
      const plans = new Map<string, { diagnostics: ReadonlyArray<Diagnostic>; plan: RunPlan | undefined }>()
      const usedFunctions = new Set<string>()
      const usedModules = new Set<string>()

      const load = (location: WorkflowLocation): Effect.Effect<Loaded, WorkflowNotFound> => {
        const cached = files.get(location.path)
        if (cached !== undefined) return Effect.succeed(cached)
        return source.load(location).pipe(
          Effect.map((csv) => ({ location, validated: validateRows(csv), hash: csv.hash })),
          Effect.tap((loaded) => Effect.sync(() => files.set(location.path, loaded)))
        )
      }

      /** The graph a subgraph reference names, or a diagnostic on the referencing node's line. */
      const resolveRef = (owner: Loaded, node: NodeSpec, ref: AddressRef): Effect.Effect<{ loaded: Loaded; graph: GraphSpec } | Diagnostic> => {
        const at = nodeAt(node, "Context")
        const pick = (loaded: Loaded, name: string | undefined) => {
          const graphs = loaded.validated.workflow.graphs
          const graph = name === undefined ? graphs[0] : findGraph(loaded.validated.workflow, name)
          if (graph !== undefined) return { loaded, graph }
          return name === undefined
            ? error(at, "missing-subgraph", `subgraph file '${loaded.location.display}' of node '${node.name}' defines no graph`)
            : error(
                at,
                "missing-subgraph",
                `node '${node.name}' runs graph '${name}', which ${loaded === owner ? "this file does not define" : `'${loaded.location.display}' does not define`}${didYouMean(name, graphs.map((g) => g.name))} (graphs: ${graphs.map((g) => g.name).join(", ") || "none"})`
              )
        }
        if (ref._tag === "Local") return Effect.succeed(pick(owner, ref.graph))
        return source.resolveFrom(owner.location.path, ref.workflow).pipe(
          Effect.flatMap(load),
          Effect.map((loaded) => pick(loaded, ref.graph)),
          Effect.catchAll((e) => Effect.succeed(error(at, "missing-subgraph", `node '${node.name}' runs ${describeRef(ref)}: ${e.message}`)))
        )
      }

      /** Checks what the rows cannot show (agent types, prompt files, functions, subgraphs) and, to run, prepares every node. */
      const prepare = (
        owner: Loaded,
        graph: GraphSpec,
        mode: Mode,
        stack: ReadonlyArray<string>
      ): Effect.Effect<{ diagnostics: ReadonlyArray<Diagnostic>; plan: RunPlan | undefined }> => {
        const key = `${owner.location.path}::${graph.name}`
        const cached = plans.get(key)
        if (cached !== undefined) return Effect.succeed(cached)
        return Effect.gen(function* () {
          const diagnostics: Array<Diagnostic> = [...diagnosticsOf(owner.validated, graph)]
          const prepared = new Map<string, PreparedNode>()
          const names = new Set(graph.nodes.map((n) => n.name))
          // modules that cannot be used: one diagnostic at the module's own position, naming the rows that use it
          const broken = new Map<string, { readonly problem: Extract<Resolution, { _tag: "Broken" }>; readonly nodes: Array<NodeSpec> }>()
          for (const node of graph.nodes) {
            let agent = isBuiltinAgentType(node.agentType) ? agents[node.agentType] : undefined
            if (agent === undefined) {
              // custom types are looked up (and their modules loaded) only when a graph names one
              const found = yield* custom.resolve(node.agentType)
              if (found._tag === "Agent") {
                agent = found.agent
                if (found.file !== undefined) usedModules.add(found.file)
              } else if (found._tag === "Unknown")
                diagnostics.push(
                  error(
                    nodeAt(node, "AgentType"),
                    "unknown-agent",
                    `unknown agent type '${node.declaredType}' for node '${node.name}'${didYouMean(node.agentType, [...BuiltinAgentTypes, ...found.known])}: built-in types are ${BuiltinAgentTypes.join(", ")}; ` +
                      `custom types ${found.known.length === 0 ? `(none in ${found.folder})` : `are ${found.known.join(", ")}`}. Create one with \`agentmap scaffold\` (a module in ${found.folder})`
                  )
                )
              else if (found._tag === "MissingServices")
                diagnostics.push(
                  error(
                    nodeAt(node, "AgentType"),
                    "missing-service",
                    `node '${node.name}' (agent type '${node.declaredType}') requires host service${found.missing.length === 1 ? "" : "s"} ${found.missing.map((m) => `'${m}'`).join(", ")}, which ${found.missing.length === 1 ? "was" : "were"} not provided ` +
                      `(provided: ${found.provided.join(", ") || "none"}; from ${found.source}); provide ${found.missing.length === 1 ? "it" : "them"} with paths.host_services or createAgentMap({ services })`
                  )
                )
              else {
                const key = `${found.file}:${found.line}:${found.column}`
                const entry = broken.get(key) ?? { problem: found, nodes: [] }
                entry.nodes.push(node)
                broken.set(key, entry)
              }
            }
            let prompt = node.prompt
            if (isPromptReference(node.prompt)) {
              const resolved = yield* prompts.resolve(node.prompt).pipe(Effect.either)
              if (resolved._tag === "Right") prompt = resolved.right
              else diagnostics.push(error(nodeAt(node, "Prompt"), "missing-prompt", resolved.left.message))
            }
            const routing = node.routing
            let route: PreparedNode["route"] = (_state, success) => Effect.succeed(nextTargets(routing, success))
            if (routing._tag === "Function") {
              usedFunctions.add(routing.name)
              const fn = yield* functions.load(routing.name).pipe(Effect.either)
              if (fn._tag === "Right") route = routeWithFunction(node, fn.right, names)
              else diagnostics.push(error(nodeAt(node, node.columns["Edge"] !== undefined ? "Edge" : "Success_Next"), "missing-function", fn.left.message))
            }
            let subgraph: PreparedNode["subgraph"]
            const ref = node.agentType === "graph" ? subgraphRef(node) : undefined
            if (ref !== undefined && ref._tag === "FromState") subgraph = dynamicSubgraph(owner, node, ref.field)
            else if (ref !== undefined) {
              const target = yield* resolveRef(owner, node, ref)
              if ("severity" in target) diagnostics.push(target)
              else {
                const childKey = `${target.loaded.location.path}::${target.graph.name}`
                if (stack.includes(childKey) || childKey === key) {
                  // a row naming its own graph as `::G` is already reported by the rows' checks
                  if (ref._tag !== "Local" || childKey !== key)
                    diagnostics.push(
                      error(nodeAt(node, "Context"), "recursive-subgraph", `node '${node.name}' runs ${describeRef(ref)}, which is already running above it (subgraphs cannot recurse)`)
                    )
                } else {
                  const child = yield* prepare(target.loaded, target.graph, mode, [...stack, key])
                  diagnostics.push(...child.diagnostics)
                  const childPlan = child.plan
                  if (childPlan !== undefined) subgraph = () => Effect.succeed(childPlan)
                }
              }
            }
            const tools = yield* prepareTools(toolSources, node, owner.location.path)
            diagnostics.push(...tools.diagnostics)
            if (tools.module !== undefined) usedModules.add(tools.module)
            if (agent !== undefined) prepared.set(node.name, { spec: node, agent, prompt, subgraph, route, graphNodes: graph.nodes, graphName: graph.name, tools: tools.tools })
          }
          for (const { problem, nodes } of broken.values())
            diagnostics.push(
              error(
                { file: problem.file, line: problem.line, column: problem.column },
                "bad-agent-module",
                `custom agent type '${nodes[0]!.declaredType}' cannot be used: ${problem.message} (used by ${nodes.map((n) => `${n.file}:${n.line} node '${n.name}'`).join(", ")})`
              )
            )
          const plan: RunPlan | undefined =
            mode === "run" && !hasErrors(diagnostics)
              ? {
                  graph,
                  maxSteps: settings.maxSteps ?? defaultMaxSteps(graph),
                  maySuspend: graph.nodes.some((n) => maySuspend(n.agentType)),
                  executeNode: (node, state, task, host) => executeNode(prepared.get(node.name)!, state, task, host)
                }
              : undefined
          const result = { diagnostics, plan }
          plans.set(key, result)
          return result
        })
      }

      /** `{workflow_field=key}`: the address comes from the state when the node runs. */
      const dynamicSubgraph =
        (owner: Loaded, node: NodeSpec, field: string) =>
        (state: JsonObject): Effect.Effect<RunPlan, AgentFailure> => {
          const address = state[field]
          if (typeof address !== "string" || address.trim() === "")
            return Effect.fail(new AgentFailure({ type: "NoSubgraph", message: `state field '${field}' should name the graph to run (e.g. "::Inner" or "file.csv::Inner")` }))
          return resolveRef(owner, node, parseAddress(address.includes("::") ? address : `::${address}`)).pipe(
            Effect.flatMap((target) =>
              "severity" in target
                ? Effect.fail(new AgentFailure({ type: "NoSubgraph", message: target.message }))
                : prepare(target.loaded, target.graph, "run", []).pipe(
                    Effect.flatMap(({ diagnostics, plan }) =>
                      plan !== undefined
                        ? Effect.succeed(plan)
                        : Effect.fail(
                            new AgentFailure({
                              type: "InvalidWorkflow",
                              message: `subgraph '${target.graph.name}' is invalid:\n${diagnostics.filter((d) => d.severity === "error").map(format).join("\n")}`
                            })
                          )
                    )
                  )
            )
          )
        }

      return { load, prepare, usedFunctions, usedModules }
    }

    const locate = (source: ReturnType<typeof sources>, address: string, graph: string | undefined) =>
      source.resolve(address).pipe(
        Effect.filterOrFail(
          (location) => location.graph === undefined || graph === undefined || location.graph === graph,
          (location) => new InvalidRequest({ message: `'${address}' names graph '${location.graph}' but --graph names '${graph}': give one` })
        )
      )

    const selectGraph = (loaded: Loaded, requested: string | undefined) => {
      const graphs = loaded.validated.workflow.graphs
      const names = graphs.map((g) => g.name)
      if (requested === undefined) {
        const warnings =
          graphs.length > 1
            ? [
                warning(
                  { file: loaded.location.display, line: graphs[0]!.line, column: 1 },
                  "several-graphs",
                  `'${loaded.location.display}' holds ${graphs.length} graphs; running the first, '${names[0]}' (others: ${names.slice(1).join(", ")}); choose one with --graph`
                )
              ]
            : []
        return Effect.succeed({ graph: graphs[0], warnings })
      }
      const graph = findGraph(loaded.validated.workflow, requested)
      return graph !== undefined
        ? Effect.succeed({ graph, warnings: [] })
        : Effect.fail(
            graphNotFound(loaded.location.display, requested, names)
          )
    }

    /**
     * Plans from the repository are reused while none of the files they read has changed (one
     * stat per file per run instead of reading, parsing and checking them again).
     */
    const cache = new Map<string, { result: PlanResult; versions: ReadonlyArray<readonly [string, string]> }>()
    const fresh = (versions: ReadonlyArray<readonly [string, string]>) =>
      Effect.map(Effect.forEach(versions, ([path]) => repo.version(path)), (now) => now.every((v, i) => v === versions[i]![1]))

    const plan = (address: string, requested: string | undefined, snapshot?: Snapshot) =>
      snapshot !== undefined
        ? build(address, requested, snapshot)
        : Effect.gen(function* () {
            const key = `${address}\u0000${requested ?? ""}`
            const hit = cache.get(key)
            if (hit !== undefined && (yield* fresh(hit.versions))) return hit.result
            const result = yield* build(address, requested, undefined)
            const versions = yield* Effect.forEach(Object.keys(result.snapshot.files), (path) => Effect.map(repo.version(path), (v) => [path, v] as const))
            if (cache.size > 256) cache.clear()
            cache.set(key, { result, versions })
            return result
          })

    const build = (address: string, requested: string | undefined, snapshot: Snapshot | undefined) =>
      Effect.gen(function* () {
        const source = sources(snapshot)
        const s = session(source)
        const location = yield* locate(source, address, requested)
        const loaded = yield* s.load(location)
        const { graph, warnings } = yield* selectGraph(loaded, requested ?? location.graph)
        const invalid = (diagnostics: ReadonlyArray<Diagnostic>) =>
          new InvalidWorkflow({
            file: location.display,
            diagnostics: sortByPosition(diagnostics),
            message: `'${location.display}' has errors; the workflow did not start`
          })
        if (graph === undefined) return yield* Effect.fail(invalid(loaded.validated.diagnostics))
        const prepared = yield* s.prepare(loaded, graph, "run", [])
        const diagnostics = uniqueDiagnostics(prepared.diagnostics)
        const plan = prepared.plan
        if (plan === undefined) return yield* Effect.fail(invalid(diagnostics))
        return {
          plan,
          location,
          warnings: snapshot === undefined ? sortByPosition([...warnings, ...diagnostics]) : [],
          snapshot: source.recorded(),
          hash: loaded.hash,
          functions: [...s.usedFunctions],
          modules: [...s.usedModules]
        }
      })

    const validateUsing = (address: string, requested: string | undefined) =>
      Effect.gen(function* () {
        const source = sources(undefined)
        const s = session(source)
        const location = yield* locate(source, address, requested)
        const loaded = yield* s.load(location)
        const name = requested ?? location.graph
        const graphs = name === undefined ? loaded.validated.workflow.graphs : [(yield* selectGraph(loaded, name)).graph!]
        const diagnostics: Array<Diagnostic> = name === undefined ? [...loaded.validated.diagnostics] : []
        for (const graph of graphs) diagnostics.push(...(yield* s.prepare(loaded, graph, "validate", [])).diagnostics)
        const all = sortByPosition(uniqueDiagnostics(diagnostics))
        const report: ValidationReport = { valid: !hasErrors(all), file: location.display, graphs: graphs.map((g) => g.name), diagnostics: all }
        return { report, functions: [...s.usedFunctions], modules: [...s.usedModules] }
      })

    const validate = (address: string, requested: string | undefined) => Effect.map(validateUsing(address, requested), (r) => r.report)
    const uses = (address: string) => validateUsing(address, undefined)

    return { plan, validate, uses }
  })
)
