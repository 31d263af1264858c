import { Context, Effect, Layer } from "effect"
import { customAgentTypeFromFile, MODULE_EXTENSIONS, normalizeAgentType } from "../domain/AgentType.js"
import { GraphNotFound, graphNotFound, InvalidRequest, InvalidWorkflow, type WorkflowNotFound } from "../domain/Errors.js"
import { collectNeeds, type ScaffoldNeed, type StubUsage } from "../domain/ScaffoldNeeds.js"
import { agentStub, appendToolStubs, definesTool, functionStub, toolModule, toolStub } from "../domain/StubText.js"
import { isPythonReference } from "../domain/ToolList.js"
import { validateRows } from "../domain/Validation.js"
import { findGraph } from "../domain/Workflow.js"
import { type StubWriteFailed, UserCodeFiles } from "../ports/UserCodeFiles.js"
import { WorkflowRepository } from "../ports/WorkflowRepository.js"

export interface ScaffoldRequest {
  /** A CSV file or a repository workflow, resolved as `run` and `validate` resolve it. */
  readonly workflow: string
  readonly graph?: string
  /** Where custom agent stubs go (absolute); default the configured custom agents folder. */
  readonly output?: string
  /** Where routing function stubs go (absolute); default the configured functions folder. */
  readonly functions?: string
  readonly overwrite: boolean
  readonly dryRun: boolean
}

export type StubStatus = "created" | "overwritten" | "skipped" | "would-create" | "would-overwrite"

export interface ScaffoldEntry {
  readonly kind: "agent" | "function" | "tool"
  readonly name: string
  /** The file written (or that would be, or that made it unnecessary), as shown to the user. */
  readonly file: string
  readonly status: StubStatus
  /** Why nothing was written (skipped only). */
  readonly reason?: string
  readonly used_by: ReadonlyArray<{ readonly graph: string; readonly node: string; readonly line: number }>
}

export interface ScaffoldReport {
  readonly workflow: string
  readonly graphs: ReadonlyArray<string>
  readonly dry_run: boolean
  readonly entries: ReadonlyArray<ScaffoldEntry>
}

export type ScaffoldError = WorkflowNotFound | GraphNotFound | InvalidRequest | InvalidWorkflow | StubWriteFailed

/** `agentmap scaffold`: typed stubs for the agent types, routing functions and tools a workflow lacks. */
export class Scaffolder extends Context.Tag("agentmap/Scaffolder")<
  Scaffolder,
  { readonly scaffold: (request: ScaffoldRequest) => Effect.Effect<ScaffoldReport, ScaffoldError> }
>() {}

const SAFE_FILE_NAME = /^[A-Za-z0-9_][\w.-]*$/

const hasModuleExtension = (file: string) => MODULE_EXTENSIONS.some((e) => file.toLowerCase().endsWith(e))

const isTypeScript = (file: string) => /\.m?ts$/i.test(file)

const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file

/** The file a custom agent type is scaffolded into: `<type>.ts`, or `<type>_agent.ts` when the name alone would register another type. */
const agentFileName = (type: string) => (customAgentTypeFromFile(`${type}.ts`) === type ? `${type}.ts` : `${type}_agent.ts`)

export const layer = Layer.effect(
  Scaffolder,
  Effect.gen(function* () {
    const repo = yield* WorkflowRepository
    const files = yield* UserCodeFiles

    const usedBy = (usages: ReadonlyArray<StubUsage>) => usages.map((u) => ({ graph: u.graph, node: u.node, line: u.line }))

    const scaffold = Effect.fn("Scaffolder.scaffold")(function* (request: ScaffoldRequest) {
      const location = yield* repo.resolve(request.workflow)
      if (location.graph !== undefined && request.graph !== undefined && location.graph !== request.graph)
        return yield* Effect.fail(new InvalidRequest({ message: `'${request.workflow}' names graph '${location.graph}' but --graph names '${request.graph}': give one` }))
      const csv = yield* repo.load(location)
      const workflow = validateRows(csv).workflow
      const names = workflow.graphs.map((g) => g.name)
      if (workflow.graphs.length === 0)
        return yield* Effect.fail(
          new InvalidWorkflow({ file: location.display, diagnostics: csv.diagnostics, message: `'${location.display}' holds no graph to scaffold for` })
        )
      const wanted = request.graph ?? location.graph
      const graph = wanted === undefined ? undefined : findGraph(workflow, wanted)
      if (wanted !== undefined && graph === undefined)
        return yield* Effect.fail(
          graphNotFound(location.display, wanted, names)
        )
      const graphs = graph !== undefined ? [graph] : workflow.graphs
      const agentsFolder = request.output ?? files.folders.customAgents
      const functionsFolder = request.functions ?? files.folders.functions
      const csvFolder = files.dirname(location.path)

      const writes: Array<{ file: string; text: string }> = []
      const entries: Array<ScaffoldEntry> = []
      const write = (kind: ScaffoldEntry["kind"], name: string, file: string, text: string, existed: boolean, usages: ReadonlyArray<StubUsage>) => {
        writes.push({ file, text })
        const status: StubStatus = request.dryRun ? (existed ? "would-overwrite" : "would-create") : existed ? "overwritten" : "created"
        entries.push({ kind, name, file: files.display(file), status, used_by: usedBy(usages) })
      }
      const skip = (kind: ScaffoldEntry["kind"], name: string, file: string, reason: string, usages: ReadonlyArray<StubUsage>) =>
        entries.push({ kind, name, file: file === "" ? "" : files.display(file), status: "skipped", reason, used_by: usedBy(usages) })

      /** A stub file that may exist already: written when absent, or when --overwrite asks and it is TypeScript. */
      const place = (kind: "agent" | "function", name: string, folder: string, existing: string | undefined, fresh: string, text: string, usages: ReadonlyArray<StubUsage>) => {
        if (existing === undefined) return write(kind, name, files.resolve(folder, fresh), text, false, usages)
        const file = files.resolve(folder, existing)
        if (!request.overwrite) return skip(kind, name, file, "exists (--overwrite replaces it)", usages)
        if (!isTypeScript(existing)) return skip(kind, name, file, "exists and is not TypeScript: --overwrite leaves it; delete it to scaffold it again", usages)
        return write(kind, name, file, text, true, usages)
      }

      const needs = collectNeeds(graphs)
      const agentFiles = yield* files.list(agentsFolder)
      const declared = new Set((yield* files.declaredAgentTypes(agentsFolder)).map(normalizeAgentType))
      const functionFiles = yield* files.list(functionsFolder)
      const tools: Array<Extract<ScaffoldNeed, { _tag: "Tool" }>> = []

      for (const need of needs) {
        switch (need._tag) {
          case "Agent": {
            if (!SAFE_FILE_NAME.test(need.type)) {
              skip("agent", need.type, "", `'${need.type}' cannot be a file name; declare it in custom_agents.yaml instead`, need.usages)
              break
            }
            if (declared.has(need.type)) {
              skip("agent", need.type, files.resolve(agentsFolder, "custom_agents.yaml"), "declared in custom_agents.yaml", need.usages)
              break
            }
            const existing = agentFiles.find((f) => customAgentTypeFromFile(f) === need.type)
            place("agent", need.type, agentsFolder, existing, agentFileName(need.type), agentStub(need.type, need.usages), need.usages)
            break
          }
          case "Function": {
            if (!SAFE_FILE_NAME.test(need.name)) {
              skip("function", need.name, "", `'func:${need.name}' is not a valid function name`, need.usages)
              break
            }
            const existing = MODULE_EXTENSIONS.map((e) => `${need.name}${e}`).find((f) => functionFiles.includes(f))
            place("function", need.name, functionsFolder, existing, `${need.name}.ts`, functionStub(need.name, need.usages), need.usages)
            break
          }
          case "Tool":
            tools.push(need)
            break
          case "Unscaffoldable":
            skip("tool", need.name, "", need.reason, need.usages)
            break
        }
      }

      /** The module a Tool_Source names: found relative to the CSV, then in the tools folder; or where to create it. */
      const toolModuleFor = (source: string) =>
        Effect.gen(function* () {
          const python = isPythonReference(source)
          const stem = python ? source.trim().replace(/\.py$/i, "") : source.trim()
          const variants = (p: string) => (!python && hasModuleExtension(p) ? [p] : MODULE_EXTENSIONS.map((e) => `${p}${e}`))
          const candidates = [
            ...variants(stem).map((p) => files.resolve(csvFolder, p)),
            ...variants(stem).map((p) => files.resolve(files.folders.customTools, p)),
            ...variants(baseName(stem)).map((p) => files.resolve(files.folders.customTools, p))
          ]
          for (const file of candidates) {
            const text = yield* files.read(file)
            if (text !== undefined) return { file, text }
          }
          const file = python
            ? files.resolve(files.folders.customTools, `${baseName(stem)}.ts`)
            : files.resolve(csvFolder, hasModuleExtension(stem) ? stem : `${stem}.ts`)
          return { file, text: undefined }
        })

      const modules = new Map<string, { text: string | undefined; stubs: Array<string> }>()
      for (const tool of tools) {
        const found = yield* toolModuleFor(tool.source)
        const module = modules.get(found.file) ?? { text: found.text, stubs: [] }
        modules.set(found.file, module)
        const pending = module.stubs.join("\n")
        if (module.text !== undefined && definesTool(module.text, tool.name)) {
          skip("tool", tool.name, found.file, "the module defines it (found by a text scan)", tool.usages)
          continue
        }
        if (definesTool(pending, tool.name)) {
          skip("tool", tool.name, found.file, "another tool scaffolded into this module has its name or export name", tool.usages)
          continue
        }
        module.stubs.push(toolStub(tool.name, tool.description, tool.usages))
        entries.push({ kind: "tool", name: tool.name, file: files.display(found.file), status: request.dryRun ? "would-create" : "created", used_by: usedBy(tool.usages) })
      }
      for (const [file, module] of modules) {
        if (module.stubs.length === 0) continue
        writes.push({ file, text: module.text === undefined ? toolModule(module.stubs) : appendToolStubs(module.text, module.stubs) })
      }

      if (!request.dryRun) yield* Effect.forEach(writes, (w) => files.write(w.file, w.text), { discard: true })
      return { workflow: location.display, graphs: graphs.map((g) => g.name), dry_run: request.dryRun, entries }
    })

    return { scaffold }
  })
)
