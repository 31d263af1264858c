import { Annotation } from "@langchain/langgraph"
import type { JsonObject } from "../../domain/Json.js"
import type { ResumeInput } from "../../domain/Resume.js"
import type { NodeError } from "../../ports/WorkflowEngine.js"

/** A CSV node scheduled to run; `seq` numbers node runs within a thread (stable across crashes and resumes). */
export interface Task {
  readonly node: string
  readonly seq: number
}

/** A node run that waits for a resume. */
export interface Suspension extends Task {
  readonly type: string
  readonly payload: unknown
}

/*
 * Channel names contain ':' so they can never collide with anything a CSV names. The graph has
 * a fixed number of channels whatever the workflow's size: see Compile.ts for why.
 */
export const DATA = "agentmap:data"
export const ERRORS = "agentmap:errors"
export const FLAG = "agentmap:flag"
export const FRONTIER = "agentmap:frontier"
export const WAITING = "agentmap:waiting"
export const SEQ = "agentmap:seq"
export const SUSPENDED = "agentmap:suspended"
export const RESUME = "agentmap:resume"

const replace = <A>(_a: A, b: A): A => b
const concat = <A>(a: ReadonlyArray<A>, b: ReadonlyArray<A>): ReadonlyArray<A> => (b.length === 0 ? a : a.concat(b))

export const State = Annotation.Root({
  /** The workflow state: every key nodes read and write. */
  [DATA]: Annotation<JsonObject>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
  [ERRORS]: Annotation<ReadonlyArray<NodeError>>({ reducer: concat, default: () => [] }),
  /** last_action_success: the AND of the last step's node outcomes. */
  [FLAG]: Annotation<boolean | null>({ reducer: replace, default: () => null }),
  /** Nodes the next step runs. */
  [FRONTIER]: Annotation<ReadonlyArray<Task>>({ reducer: replace, default: () => [] }),
  /** Join nodes held back until every branch in flight has reached them (numbered when released). */
  [WAITING]: Annotation<ReadonlyArray<string>>({ reducer: replace, default: () => [] }),
  [SEQ]: Annotation<number>({ reducer: replace, default: () => 0 }),
  [SUSPENDED]: Annotation<ReadonlyArray<Suspension>>({ reducer: replace, default: () => [] }),
  /** Answers for suspended node runs, by seq, consumed by the next step. */
  [RESUME]: Annotation<Readonly<Record<string, ResumeInput>>>({ reducer: replace, default: () => ({}) })
})

export type GraphState = typeof State.State
export type GraphUpdate = typeof State.Update

/** The state as nodes and results see it: data keys, the accumulated `errors`, and `last_action_success`. */
export const view = (state: GraphState): JsonObject => ({
  ...state[DATA],
  errors: state[ERRORS] as unknown as JsonObject[keyof JsonObject],
  ...(state[FLAG] !== null && state[FLAG] !== undefined ? { last_action_success: state[FLAG] } : {})
})
