import { Context, Data, type Effect } from "effect"
import type { StoreUnavailable } from "../domain/Errors.js"
import type { JsonObject } from "../domain/Json.js"
import type { ResumeInput } from "../domain/Resume.js"
import type { NodeExecution, RunError, ToolCallRecord } from "../domain/RunResult.js"
import type { PendingInterrupt } from "../domain/Thread.js"
import type { GraphSpec, NodeSpec } from "../domain/Workflow.js"

/** An error a node raised, as recorded in the state's `errors` list. */
export interface NodeError {
  readonly node: string
  readonly type: string
  readonly message: string
}

/**
 * What one node run did. Completed: the keys it writes, its routing flag (false when it raised or
 * chose its failure route), its record, and where to go next. Suspended: it waits for a resume;
 * `token` comes back to it with the resume (a subgraph keeps its child thread there).
 */
export type NodeStep =
  | {
      readonly _tag: "Completed"
      readonly updates: JsonObject
      readonly success: boolean
      readonly error: NodeError | undefined
      readonly execution: NodeExecution
      readonly next: ReadonlyArray<string>
    }
  | {
      readonly _tag: "Suspended"
      readonly type: string
      readonly payload: unknown
      readonly token: unknown
    }

/** One scheduled node run: `seq` numbers runs within a thread; `resume` is set when it re-runs after a resume. */
export interface NodeTask {
  readonly seq: number
  readonly threadId: string
  readonly resume: (ResumeInput & { readonly token: unknown }) | undefined
}

/** A routing function misbehaved (threw, or named a node that does not exist): the run fails. */
export class RoutingFailure extends Data.TaggedError("RoutingFailure")<{ readonly node: string; readonly message: string }> {}

/** Errors that stop the whole run instead of taking a failure route. */
export type RunAbort = RoutingFailure | StoreUnavailable

/** How a run (or one leg of it, between suspensions) ended, before success policies. */
export interface EngineOutcome {
  readonly status: "completed" | "failed" | "suspended"
  /** The state as nodes see it: data keys plus `errors` and `last_action_success`. */
  readonly state: JsonObject
  /** Every node run of the thread so far (earlier legs included), in order. */
  readonly executions: ReadonlyArray<NodeExecution>
  readonly error: RunError | undefined
  readonly interrupt: PendingInterrupt | undefined
}

/** What the engine offers a node while it runs (capabilities that need the engine's own context). */
export interface NodeHost {
  /** Runs a subgraph as its own thread; continues it instead if that thread already has checkpoints. */
  readonly runSubgraph: (plan: RunPlan, threadId: string, input: JsonObject) => Effect.Effect<EngineOutcome, StoreUnavailable>
  readonly resumeSubgraph: (plan: RunPlan, threadId: string, resume: ResumeInput) => Effect.Effect<EngineOutcome, StoreUnavailable>
  /** Present while someone listens to the run: passes on pieces of a model's answer as they arrive. */
  readonly tokens: TokenObserver | undefined
  /** Present while someone listens to the run: passes on what custom agents `emit`. */
  readonly custom?: CustomObserver | undefined
}

/** Told about each `ctx.emit(data)` of a custom agent (a `custom` SSE event). */
export type CustomObserver = (event: { readonly node: string; readonly data: unknown }) => Effect.Effect<void>

/** What a listener hears while a node runs: a piece of a model's answer, or a tool call that finished. */
export type LiveEvent = { readonly node: string; readonly text: string } | { readonly node: string; readonly tool: ToolCallRecord }

/** Told about each piece of a model's answer and each tool call as a node makes it (streaming). */
export type TokenObserver = (event: LiveEvent) => Effect.Effect<void>

/** Told about every node run as it finishes (streaming). */
export type StepObserver = (event: { readonly seq: number; readonly execution: NodeExecution; readonly updates: JsonObject }) => Effect.Effect<void>

/**
 * A graph ready to run: the application decides what each node does and where it goes next;
 * the engine decides how steps are scheduled, joined, checkpointed and resumed.
 */
export interface RunPlan {
  readonly graph: GraphSpec
  readonly maxSteps: number
  /** Whether any node may suspend the run (an interrupt, or a subgraph that could raise one). */
  readonly maySuspend: boolean
  readonly executeNode: (node: NodeSpec, state: JsonObject, task: NodeTask, host: NodeHost) => Effect.Effect<NodeStep, RunAbort>
}

export interface RunOptions {
  readonly observer: StepObserver
  readonly tokens?: TokenObserver | undefined
  readonly custom?: CustomObserver | undefined
  readonly durability: "sync" | "async" | "exit"
  /** A resume only: state written to the suspended thread meanwhile (LangGraph API updateState), merged in before the resumed step. */
  readonly update?: JsonObject | undefined
}

export class WorkflowEngine extends Context.Tag("agentmap/WorkflowEngine")<
  WorkflowEngine,
  {
    /** A routing failure ends the run as `failed`; only a store outage fails the effect. */
    readonly run: (plan: RunPlan, threadId: string, input: JsonObject, options: RunOptions) => Effect.Effect<EngineOutcome, StoreUnavailable>
    /** Answers the pending interrupt of a suspended thread. */
    readonly resume: (plan: RunPlan, threadId: string, resume: ResumeInput, options: RunOptions) => Effect.Effect<EngineOutcome, StoreUnavailable>
    /**
     * Continues a thread whose process died: from its last checkpoint, or, when it died before its
     * first one, from `input` as a fresh start (null: its input is unknown, and the run fails).
     */
    readonly recover: (plan: RunPlan, threadId: string, input: JsonObject | null, options: RunOptions) => Effect.Effect<EngineOutcome, StoreUnavailable>
  }
>() {}
