import { Context, Effect, Layer } from "effect"
import { Diagnostic } from "../domain/Diagnostic.js"
import { GraphNotFound, InvalidRequest, type StoreUnavailable, type WorkflowNotFound } from "../domain/Errors.js"
import { describeRoutingTargets } from "../domain/Routing.js"
import { validateRows } from "../domain/Validation.js"
import { findGraph } from "../domain/Workflow.js"
import { WorkflowRepository } from "../ports/WorkflowRepository.js"
import { PlanBuilder } from "./PlanBuilder.js"

export interface WorkflowListing {
  readonly name: string
  readonly graphs: ReadonlyArray<string>
  readonly valid: boolean
}

export interface GraphDetail {
  readonly workflow: string
  readonly graph: string
  readonly entry: string
  readonly nodes: ReadonlyArray<{
    readonly name: string
    readonly agent_type: string
    readonly description: string
    /** The node's Prompt cell as written (templates unexpanded). */
    readonly prompt: string
    readonly inputs: ReadonlyArray<string>
    readonly outputs: ReadonlyArray<string>
    readonly next: Readonly<Record<string, ReadonlyArray<string> | string>>
  }>
}

export interface WorkflowDetail {
  readonly workflow: string
  readonly graphs: ReadonlyArray<GraphDetail>
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

/** What the workflow repository holds: names, graphs, nodes (the HTTP `/workflows` routes, `createAgentMap().listWorkflows`). */
export class WorkflowCatalog extends Context.Tag("agentmap/WorkflowCatalog")<
  WorkflowCatalog,
  {
    readonly list: Effect.Effect<ReadonlyArray<WorkflowListing>, StoreUnavailable>
    /** `name` (every graph) or `name::Graph` (one). */
    readonly describe: (address: string) => Effect.Effect<WorkflowDetail, WorkflowNotFound | GraphNotFound | InvalidRequest>
  }
>() {}

export const layer = Layer.effect(
  WorkflowCatalog,
  Effect.gen(function* () {
    const repo = yield* WorkflowRepository
    const builder = yield* PlanBuilder
    const read = (address: string) =>
      Effect.gen(function* () {
        const location = yield* repo.resolve(address)
        const csv = yield* repo.load(location)
        return { location, validated: validateRows(csv) }
      })
    return {
      list: Effect.gen(function* () {
        const entries = yield* repo.list
        return yield* Effect.forEach(entries, (entry) =>
          // the rules `validate` and `/execute` apply, so `valid` never promises a run that would be refused
          builder.validate(entry.location.path, undefined).pipe(
            Effect.map((report) => ({ name: entry.name, graphs: report.graphs, valid: report.valid })),
            Effect.orElseSucceed(() => ({ name: entry.name, graphs: [], valid: false }))
          )
        )
      }),
      describe: (address) =>
        Effect.gen(function* () {
          if (address.toLowerCase().split("::")[0]!.endsWith(".csv"))
            return yield* Effect.fail(new InvalidRequest({ message: `'${address}' is a file path; name a workflow of the repository instead (without .csv)` }))
          const { location, validated } = yield* read(address)
          const name = address.includes("::") ? address.slice(0, address.lastIndexOf("::")) : address
          const graphs = location.graph === undefined ? validated.workflow.graphs : [findGraph(validated.workflow, location.graph)].filter((g) => g !== undefined)
          if (location.graph !== undefined && graphs.length === 0)
            return yield* Effect.fail(
              new GraphNotFound({
                workflow: name,
                graph: location.graph,
                available: validated.workflow.graphs.map((g) => g.name),
                message: `graph '${location.graph}' is not in workflow '${name}'; it has: ${validated.workflow.graphs.map((g) => g.name).join(", ")}`
              })
            )
          const report = yield* builder.validate(address, undefined)
          return {
            workflow: name,
            graphs: graphs.map((g) => ({
              workflow: name,
              graph: g.name,
              entry: g.entry,
              nodes: g.nodes.map((n) => ({
                name: n.name,
                agent_type: n.declaredType,
                description: n.description,
                prompt: n.prompt,
                inputs: n.inputs.map((b) => b.stateKey),
                outputs: n.outputs.map((b) => b.stateKey),
                next: describeRoutingTargets(n.routing)
              }))
            })),
            // positions relative to the workflow's name: server paths stay private
            diagnostics: report.diagnostics.map((d) => (d.file === report.file ? new Diagnostic({ ...d, file: name }) : d))
          }
        })
    }
  })
)
