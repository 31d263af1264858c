import { Cause, Effect, Exit, ManagedRuntime, Option } from "effect"
import type { ValidationReport } from "../../application/PlanBuilder.js"
import { WorkflowCatalog, type WorkflowListing } from "../../application/WorkflowCatalog.js"
import { WorkflowService } from "../../application/WorkflowService.js"
import type { Diagnostic } from "../../domain/Diagnostic.js"
import type { RunResult } from "../../domain/RunResult.js"
import { type AgentMapOptions, layer } from "./Options.js"

/** An AgentMap error as a plain Error: `tag` is the contract's error name (WorkflowNotFound, InvalidWorkflow, ...). */
export class AgentMapError extends Error {
  constructor(
    readonly tag: string,
    message: string,
    readonly diagnostics: ReadonlyArray<Diagnostic> = []
  ) {
    super(message)
    this.name = "AgentMapError"
  }
}

export interface RunOptions {
  readonly graph?: string
  readonly state?: Readonly<Record<string, unknown>>
  readonly threadId?: string
}

export interface AgentMap {
  readonly run: (workflow: string, options?: RunOptions) => Promise<RunResult>
  readonly resume: (threadId: string, action?: string, data?: unknown) => Promise<RunResult>
  readonly validate: (workflow: string, graph?: string) => Promise<ValidationReport>
  readonly listWorkflows: () => Promise<ReadonlyArray<WorkflowListing>>
  /** Closes stores and connections; the instance cannot be used afterwards. */
  readonly close: () => Promise<void>
}

/**
 * The runtime facade for plain TypeScript callers: Promise-based, the same program as every other
 * door, built once on first use (concurrent first calls share one initialisation).
 */
export const createAgentMap = (options: AgentMapOptions = {}): AgentMap => {
  let runtime: ManagedRuntime.ManagedRuntime<WorkflowService | WorkflowCatalog, unknown> | undefined
  let closed = false
  const get = () => {
    if (closed) throw new AgentMapError("Closed", "this AgentMap instance was closed")
    runtime ??= ManagedRuntime.make(layer(options))
    return runtime
  }
  const call = async <A>(effect: Effect.Effect<A, { readonly _tag: string; readonly message: string; readonly diagnostics?: ReadonlyArray<Diagnostic> }, WorkflowService | WorkflowCatalog>) => {
    const exit = await get().runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.failureOption(exit.cause) as Option.Option<{ readonly _tag: string; readonly message: string; readonly diagnostics?: ReadonlyArray<Diagnostic> }>
    if (Option.isSome(failure)) throw new AgentMapError(failure.value._tag, failure.value.message, failure.value.diagnostics ?? [])
    throw Cause.squash(exit.cause)
  }
  return {
    run: (workflow, o = {}) =>
      call(
        Effect.flatMap(WorkflowService, (s) =>
          s.execute({
            workflow,
            ...(o.graph !== undefined ? { graph: o.graph } : {}),
            ...(o.state !== undefined ? { state: o.state } : {}),
            ...(o.threadId !== undefined ? { thread_id: o.threadId } : {})
          })
        ).pipe(Effect.map((r) => r.result))
      ),
    resume: (threadId, action, data) =>
      call(
        Effect.flatMap(WorkflowService, (s) =>
          s.resume({ thread_id: threadId, ...(action !== undefined ? { action } : {}), ...(data !== undefined ? { data } : {}) })
        ).pipe(Effect.map((r) => r.result))
      ),
    validate: (workflow, graph) => call(Effect.flatMap(WorkflowService, (s) => s.validate({ workflow, ...(graph !== undefined ? { graph } : {}) }))),
    listWorkflows: () => call(Effect.flatMap(WorkflowCatalog, (c) => c.list)),
    close: async () => {
      closed = true
      await runtime?.dispose()
    }
  }
}
