import { Annotation, DeltaChannel } from "@langchain/langgraph"
import type { JsonObject } from "../../domain/Json.js"
import type { NodeExecution } from "../../domain/RunResult.js"
import type { ResumeInput } from "../../domain/Resume.js"

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

/** Where a run is: what runs next, what waits. Small, whatever the workflow's size. */
export interface Schedule {
  /** Nodes the next step runs. */
  readonly frontier: ReadonlyArray<Task>
  /** Join nodes held back until every branch in flight has reached them (numbered when released). */
  readonly waiting: ReadonlyArray<string>
  /** The last node-run number handed out. */
  readonly seq: number
  readonly suspended: ReadonlyArray<Suspension>
  /** Answers for suspended node runs, by seq, consumed by the next step. */
  readonly resume: Readonly<Record<string, ResumeInput>>
}

/** Channel names contain ':' so nothing a CSV names can collide with them. */
export const DATA = "agentmap:data"
export const SCHEDULE = "agentmap:schedule"
export const EXECUTIONS = "agentmap:executions"

export const emptySchedule: Schedule = { frontier: [], waiting: [], seq: 0, suspended: [], resume: {} }

/** Merges one step's updates after another: associative, as DeltaChannel requires. */
const mergeWrites = (state: JsonObject, writes: ReadonlyArray<JsonObject>): JsonObject => Object.assign({}, state, ...writes)

const appendWrites = (runs: ReadonlyArray<NodeExecution>, writes: ReadonlyArray<ReadonlyArray<NodeExecution>>): ReadonlyArray<NodeExecution> =>
  writes.length === 0 ? runs : runs.concat(...writes)

/** How many steps' updates a checkpoint may need replayed before a full copy of the state is stored again. */
export const SNAPSHOT_EVERY = 100

export const State = Annotation.Root({
  /**
   * The workflow state exactly as nodes see it (`errors` and `last_action_success` included, the
   * step computes both), so handing it to nodes copies nothing. A DeltaChannel: a checkpoint
   * stores the step's updates, not the whole state (a full snapshot every SNAPSHOT_EVERY steps).
   */
  [DATA]: new DeltaChannel<JsonObject, JsonObject>(mergeWrites, { snapshotFrequency: SNAPSHOT_EVERY, initialValueFactory: () => ({}) }),
  [SCHEDULE]: Annotation<Schedule>({ reducer: (_a, b) => b, default: () => emptySchedule }),
  /**
   * Every node run's record, in order. Also a DeltaChannel: each step's records are stored with
   * the step's checkpoint (no extra write), and a crash loses exactly the records of the step in flight.
   */
  [EXECUTIONS]: new DeltaChannel<ReadonlyArray<NodeExecution>, ReadonlyArray<NodeExecution>>(appendWrites, {
    snapshotFrequency: SNAPSHOT_EVERY,
    initialValueFactory: () => []
  })
})

export type GraphState = typeof State.State
export type GraphUpdate = typeof State.Update

/** The state as nodes and results see it: data keys, the accumulated `errors`, and `last_action_success`. */
export const view = (state: GraphState): JsonObject => state[DATA]
