import { Data, type Effect } from "effect"
import type { JsonObject } from "../../domain/Json.js"
import type { ResumeInput } from "../../domain/Resume.js"
import type { NodeSpec } from "../../domain/Workflow.js"
import type { StoreUnavailable } from "../../domain/Errors.js"
import type { EngineOutcome, RunAbort } from "../../ports/WorkflowEngine.js"

/** A node raised: its outputs are not written, the error is recorded and Failure_Next is taken. */
export class AgentFailure extends Data.TaggedError("AgentFailure")<{
  readonly message: string
  readonly type?: string
}> {}

/** The subgraph a graph node runs, as its own thread (`threadId` is fixed per node run). */
export interface ChildRun {
  readonly threadId: string
  readonly run: (input: JsonObject) => Effect.Effect<EngineOutcome, StoreUnavailable | AgentFailure>
  readonly resume: (resume: ResumeInput) => Effect.Effect<EngineOutcome, StoreUnavailable | AgentFailure>
}

/** Everything an agent sees of one node run. */
export interface AgentCall {
  readonly node: NodeSpec
  /** Input values by parameter name; only inputs present in the state are listed. */
  readonly inputs: Readonly<Record<string, unknown>>
  /** The node's prompt with references (`prompt:`, `file:`, `yaml:`) resolved, placeholders not yet filled. */
  readonly prompt: string
  readonly state: JsonObject
  /** Set when the node runs again because its suspension was answered. */
  readonly resume: ResumeInput | undefined
  readonly child: ChildRun
}

/** Finished: the value (mapped onto Output_Field) and whether the success route is taken. */
export interface Done {
  readonly _tag: "Done"
  readonly value: unknown
  readonly success: boolean
}

/** Waiting for a person or system: the run suspends with this interrupt. */
export interface Suspend {
  readonly _tag: "Suspend"
  readonly type: string
  readonly payload: unknown
}

export type AgentOutcome = Done | Suspend

export const done = (value: unknown, success = true): AgentOutcome => ({ _tag: "Done", value, success })

export const suspend = (type: string, payload: unknown): AgentOutcome => ({ _tag: "Suspend", type, payload })

export type Agent = (call: AgentCall) => Effect.Effect<AgentOutcome, AgentFailure | RunAbort>
