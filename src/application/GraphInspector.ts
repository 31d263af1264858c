import { Context, Effect, Layer } from "effect"
import { type Diagnostic, sortByPosition } from "../domain/Diagnostic.js"
import { GraphNotFound, graphNotFound, InvalidRequest, InvalidWorkflow, type WorkflowNotFound } from "../domain/Errors.js"
import { type GraphView, type ViewSubgraph, expandable, graphView } from "../domain/GraphView.js"
import { describeRef } from "../domain/Subgraph.js"
import { didYouMean } from "../domain/Suggest.js"
import { type Validated, validateRows } from "../domain/Validation.js"
import { type GraphSpec, findGraph } from "../domain/Workflow.js"
import { type WorkflowLocation, WorkflowRepository } from "../ports/WorkflowRepository.js"
import { PlanBuilder } from "./PlanBuilder.js"

export interface InspectRequest {
  /** A CSV file, a repository name, or `name::Graph`. */
  readonly workflow: string
  readonly graph?: string
  /** Draw the graphs that `graph` nodes run inside the parent (recursively, each graph once per path). */
  readonly expand?: boolean
}

/**
 * The drawing of one graph and the validation findings of its file. An invalid workflow is still
 * drawn from its rows as written (a routing target that no row defines is drawn as "not
 * defined"); only a file with no graph at all cannot be drawn.
 */
export interface Inspection {
  readonly file: string
  readonly valid: boolean
  readonly diagnostics: ReadonlyArray<Diagnostic>
  readonly view: GraphView
}

export class GraphInspector extends Context.Tag("agentmap/GraphInspector")<
  GraphInspector,
  { readonly inspect: (request: InspectRequest) => Effect.Effect<Inspection, WorkflowNotFound | GraphNotFound | InvalidWorkflow | InvalidRequest> }
>() {}

/** How deep `--expand` follows graphs that run graphs. */
const MAX_DEPTH = 8

export const layer = Layer.effect(
  GraphInspector,
  Effect.gen(function* () {
    const repo = yield* WorkflowRepository
    const builder = yield* PlanBuilder

    const read = (location: WorkflowLocation) => Effect.map(repo.load(location), (csv): Validated => validateRows(csv))

    /** The graphs `graph` nodes run, drawn; one that cannot be read or found carries the reason instead. */
    const expand = (
      workflow: string,
      location: WorkflowLocation,
      validated: Validated,
      graph: GraphSpec,
      stack: ReadonlyArray<string>
    ): Effect.Effect<ReadonlyArray<ViewSubgraph>> =>
      Effect.forEach(
        graph.nodes.flatMap((node) => {
          const ref = expandable(node)
          return ref === undefined ? [] : [{ node, ref }]
        }),
        ({ node, ref }) =>
          Effect.gen(function* () {
            const target =
              ref._tag === "Local"
                ? { workflow, location, validated, name: ref.graph as string | undefined }
                : yield* Effect.map(
                    Effect.flatMap(repo.resolveFrom(location.path, ref.workflow), (at) => Effect.map(read(at), (v) => ({ location: at, validated: v }))),
                    (found) => ({ ...found, workflow: ref.workflow, name: ref.graph })
                  )
            const graphs = target.validated.workflow.graphs
            const inner = target.name === undefined ? graphs[0] : findGraph(target.validated.workflow, target.name)
            const base = { node: node.name, ref: describeRef(ref) }
            if (inner === undefined)
              return { ...base, error: `graph '${target.name ?? "(first)"}' is not in '${target.location.display}'${target.name === undefined ? "" : didYouMean(target.name, graphs.map((g) => g.name))}` }
            const key = `${target.location.path}::${inner.name}`
            if (stack.includes(key) || stack.length >= MAX_DEPTH) return { ...base, error: stack.includes(key) ? "runs a graph it is part of (not drawn again)" : "nested too deep to draw" }
            const subgraphs = yield* expand(target.workflow, target.location, target.validated, inner, [...stack, key])
            return { ...base, view: graphView(target.workflow, inner, subgraphs) }
          }).pipe(Effect.catchAll((e) => Effect.succeed({ node: node.name, ref: describeRef(ref), error: e.message })))
      )

    const inspect = (request: InspectRequest) =>
      Effect.gen(function* () {
        const location = yield* repo.resolve(request.workflow)
        if (location.graph !== undefined && request.graph !== undefined && location.graph !== request.graph)
          return yield* Effect.fail(new InvalidRequest({ message: `'${request.workflow}' names graph '${location.graph}' but --graph names '${request.graph}': give one` }))
        const validated = yield* read(location)
        const graphs = validated.workflow.graphs
        const name = request.graph ?? location.graph
        const graph = name === undefined ? graphs[0] : findGraph(validated.workflow, name)
        if (graph === undefined) {
          if (name === undefined || graphs.length === 0)
            return yield* Effect.fail(
              new InvalidWorkflow({ file: location.display, diagnostics: sortByPosition(validated.diagnostics), message: `'${location.display}' holds no graph to draw` })
            )
          const names = graphs.map((g) => g.name)
          return yield* Effect.fail(
            graphNotFound(location.display, name, names)
          )
        }
        // the findings `validate` reports for this graph: the drawing does not hide that a run would be refused
        const report = yield* Effect.either(builder.validate(location.path, graph.name))
        const diagnostics = report._tag === "Right" ? report.right.diagnostics : sortByPosition(validated.diagnostics)
        // named as the caller wrote it: the drawing never holds a path of the server's disk
        const workflow = request.workflow.includes("::") ? request.workflow.slice(0, request.workflow.lastIndexOf("::")) : request.workflow
        const subgraphs = request.expand === true ? yield* expand(workflow, location, validated, graph, [`${location.path}::${graph.name}`]) : []
        return {
          file: location.display,
          valid: !diagnostics.some((d) => d.severity === "error"),
          diagnostics,
          view: graphView(workflow, graph, subgraphs)
        }
      })

    return { inspect }
  })
)
