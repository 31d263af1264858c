import { Annotation } from "@langchain/langgraph"
import type { JsonObject } from "../../domain/Json.js"
import type { NodeExecution } from "../../domain/RunResult.js"
import type { NodeError } from "../../ports/WorkflowEngine.js"

/** The routing flag of the last step: in a parallel step it is false if any branch's was. */
export interface StepFlag {
  readonly step: number
  readonly ok: boolean
}

/**
 * Channel names contain ':' so they can never collide with a node name (node names cannot
 * contain ':' — LangGraph reserves it for checkpoint namespaces).
 */
export const DATA = "agentmap:data"
export const ERRORS = "agentmap:errors"
export const FLAG = "agentmap:flag"
export const EXECUTIONS = "agentmap:executions"

const concat = <A>(a: ReadonlyArray<A>, b: ReadonlyArray<A>): ReadonlyArray<A> => (b.length === 0 ? a : a.concat(b))

export const State = Annotation.Root({
  [DATA]: Annotation<JsonObject>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
  [ERRORS]: Annotation<ReadonlyArray<NodeError>>({ reducer: concat, default: () => [] }),
  [FLAG]: Annotation<StepFlag | null>({
    reducer: (a, b) => (a !== null && b !== null && a.step === b.step ? { step: b.step, ok: a.ok && b.ok } : b),
    default: () => null
  }),
  [EXECUTIONS]: Annotation<ReadonlyArray<NodeExecution>>({ reducer: concat, default: () => [] })
})

export type GraphState = typeof State.State
export type GraphUpdate = typeof State.Update

/** The state as nodes and results see it: data keys, the accumulated `errors`, and `last_action_success`. */
export const view = (state: GraphState): JsonObject => ({
  ...state[DATA],
  errors: state[ERRORS] as unknown as JsonObject[keyof JsonObject],
  ...(state[FLAG] !== null ? { last_action_success: state[FLAG].ok } : {})
})
