import { Effect } from "effect"
import type { NodeSpec } from "../domain/Workflow.js"
import { RoutingFailure } from "../ports/WorkflowEngine.js"

const END_NAMES = new Set(["", "END", "__end__", "end"])

const targetArg = (targets: ReadonlyArray<string>) => (targets.length === 0 ? null : targets.length === 1 ? targets[0]! : targets)

/**
 * Routing by a user function `name(state, successTarget, failureTarget) -> node | node[]` (or a promise of one).
 * Returning nothing (or "END") ends the branch; a name that is not a node of the graph fails the run.
 */
export const routeWithFunction =
  (node: NodeSpec, fn: (...args: ReadonlyArray<unknown>) => unknown, names: ReadonlySet<string>) =>
  (state: () => Readonly<Record<string, unknown>>, _success: boolean): Effect.Effect<ReadonlyArray<string>, RoutingFailure> => {
    if (node.routing._tag !== "Function") return Effect.succeed([])
    const routing = node.routing
    const fail = (message: string) => new RoutingFailure({ node: node.name, message })
    const threw = (e: unknown) => fail(`routing function '${routing.name}' of node '${node.name}' threw: ${e instanceof Error ? e.message : String(e)}`)
    return Effect.try({ try: () => fn(state(), targetArg(routing.success), targetArg(routing.failure)), catch: threw }).pipe(
      // a routing function may be async
      Effect.flatMap((result) =>
        typeof (result as PromiseLike<unknown> | null)?.then === "function" ? Effect.tryPromise({ try: () => Promise.resolve(result), catch: threw }) : Effect.succeed(result)
      ),
      Effect.flatMap((result) => {
        const list = result === null || result === undefined ? [] : Array.isArray(result) ? result : [result]
        const targets: Array<string> = []
        for (const item of list) {
          if (typeof item !== "string")
            return Effect.fail(fail(`routing function '${routing.name}' of node '${node.name}' returned ${JSON.stringify(item)}; it must return node names`))
          if (END_NAMES.has(item.trim()) && !names.has(item.trim())) continue
          if (!names.has(item.trim()))
            return Effect.fail(fail(`routing function '${routing.name}' of node '${node.name}' returned '${item}', which is not a node of this graph`))
          targets.push(item.trim())
        }
        return Effect.succeed([...new Set(targets)])
      })
    )
  }
