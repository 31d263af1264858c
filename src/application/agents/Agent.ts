import { Data, type Effect } from "effect"
import type { JsonObject } from "../../domain/Json.js"
import type { NodeExecution, ToolCallRecord } from "../../domain/RunResult.js"
import type { ResumeInput } from "../../domain/Resume.js"
import type { NodeSpec } from "../../domain/Workflow.js"
import type { StoreUnavailable } from "../../domain/Errors.js"
import type { RunnableTool } from "../../ports/Tools.js"
import type { EngineOutcome, RunAbort } from "../../ports/WorkflowEngine.js"

/** The model a node called and what it cost, for its `node_executions` entry. */
export type LlmRecord = NonNullable<NodeExecution["llm"]>

/** A node raised: its outputs are not written, the error is recorded and Failure_Next is taken. */
export class AgentFailure extends Data.TaggedError("AgentFailure")<{
  readonly message: string
  readonly type?: string
  /** The model it tried last, when the failure was a model call. */
  readonly llm?: LlmRecord
  /** The tool calls it made before failing. */
  readonly tools?: ReadonlyArray<ToolCallRecord>
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
  /** Every node of the graph this node belongs to (the orchestrator chooses among them). */
  readonly graphNodes: ReadonlyArray<NodeSpec>
  /** Set when someone listens to the run as it happens: hands over a model's answer piece by piece. */
  readonly emitToken: ((text: string) => Effect.Effect<void>) | undefined
  /** Set when someone listens: hands over a `custom` event a custom agent emits. */
  readonly emitCustom?: ((data: unknown) => Effect.Effect<void>) | undefined
  /** The graph the node belongs to and the thread it runs in. */
  readonly graphName?: string
  readonly threadId?: string
  /** Set when someone listens to the run: tells them of each tool call as it finishes. */
  readonly emitTool: ((call: ToolCallRecord) => Effect.Effect<void>) | undefined
  /** The tools the node may use (Tool_Source, Available_Tools), when it names any. */
  readonly tools: NodeTools | undefined
}

/** A node's tools: the names its Available_Tools lists (empty: every tool of the source), and the tools themselves. */
export interface NodeTools {
  /** Where they come from, for messages (`calculator_tools.ts`, `mcp:files`). */
  readonly source: string
  /** The tools, loaded (an MCP server starts on first use); CSV inline descriptions replace the tools' own. */
  readonly load: Effect.Effect<ReadonlyArray<RunnableTool>, AgentFailure>
}

/** Finished: the value (mapped onto Output_Field) and whether the success route is taken. */
export interface Done {
  readonly _tag: "Done"
  readonly value: unknown
  readonly success: boolean
  /** State keys the agent keeps for itself besides its outputs (an LLM node's conversation memory). */
  readonly extra?: JsonObject
  /** Where to go next, chosen by the agent (the orchestrator), instead of the node's routing. */
  readonly next?: ReadonlyArray<string>
  readonly llm?: LlmRecord
  /** The tool calls it made (a tool agent, a tool-calling model). */
  readonly tools?: ReadonlyArray<ToolCallRecord>
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
