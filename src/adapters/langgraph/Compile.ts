import { END, type LangGraphRunnableConfig, START, StateGraph, interrupt } from "@langchain/langgraph"
import { Cause, type Effect, Exit, Option, Runtime } from "effect"
import { joinCandidates } from "../../domain/GraphAnalysis.js"
import type { ResumeInput } from "../../domain/Resume.js"
import { canFanOut } from "../../domain/Routing.js"
import type { NodeSpec } from "../../domain/Workflow.js"
import type { NodeError, NodeHost, NodeStep, RunPlan, StepObserver } from "../../ports/WorkflowEngine.js"
import { DATA, ERRORS, FLAG, FRONTIER, type GraphState, type GraphUpdate, RESUME, SEQ, State, SUSPENDED, type Suspension, type Task, WAITING, view } from "./StateChannels.js"

/** Carries a typed failure (store outage, routing failure) out through LangGraph. */
export class AbortSignalError extends Error {
  constructor(readonly abort: unknown) {
    super(abort instanceof Error ? abort.message : "run aborted")
  }
}

type DynamicGraph = StateGraph<typeof State.spec, GraphState, GraphUpdate, string>

/** Runs an effect from inside LangGraph: failures become exceptions LangGraph propagates. */
export const runInside = async <A, E>(runtime: Runtime.Runtime<never>, effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await Runtime.runPromiseExit(runtime)(effect)
  if (Exit.isSuccess(exit)) return exit.value
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) throw new AbortSignalError(failure.value)
  throw Cause.squash(exit.cause)
}

/** The interrupt value the wait node raises, read back by the engine to describe the suspension. */
export interface InterruptValue {
  readonly seq: number
  readonly node: string
  readonly type: string
  readonly payload: unknown
}

const STEP = "step"
const WAIT = "wait"

/**
 * CSV graph → LangGraph StateGraph, as an interpreter of fixed shape: a `step` node runs every
 * CSV node due in this step (in parallel), a `wait` node raises LangGraph's interrupt for a node
 * that suspended, and a handful of channels carry the state and the schedule.
 *
 * Why not one LangGraph node per CSV row? LangGraph writes the version of every channel and
 * every node's `versions_seen` into every checkpoint, so a graph with a node (and trigger
 * channel) per row checkpoints in O(rows) per step and O(rows²) per run; measured: a
 * 1,000-node chain with checkpoints took ~6× the time without. With a fixed shape a checkpoint
 * holds the state and the schedule only, so long workflows stay linear (bench/checkpoint.mjs).
 *
 * Joins: a node that several routes lead to, in a graph that can fan out, is held in WAITING
 * until nothing else is scheduled or suspended, then runs once (LangGraph's deferred nodes,
 * done here by the scheduler).
 */
export const compile = (plan: RunPlan, runtime: Runtime.Runtime<never>, host: NodeHost, observer: StepObserver) => {
  const nodes = new Map<string, NodeSpec>(plan.graph.nodes.map((n) => [n.name, n]))
  const joins = plan.graph.nodes.some((n) => canFanOut(n.routing)) ? joinCandidates(plan.graph) : new Set<string>()

  const step = async (state: GraphState, config: LangGraphRunnableConfig): Promise<GraphUpdate> => {
    const threadId = String(config.configurable?.["thread_id"] ?? "")
    const current = view(state)
    const tasks = state[FRONTIER]
    const answers = state[RESUME]
    const steps: ReadonlyArray<NodeStep> = await Promise.all(
      tasks.map((task) =>
        runInside(
          runtime,
          plan.executeNode(nodes.get(task.node)!, current, { seq: task.seq, threadId, resume: resumeFor(answers, task) }, host)
        )
      )
    )
    let data = {}
    const errors: Array<NodeError> = []
    const suspended: Array<Suspension> = [...state[SUSPENDED]]
    const next: Array<string> = []
    const held = new Set(state[WAITING])
    let flag: boolean | undefined
    for (const [i, s] of steps.entries()) {
      const task = tasks[i]!
      if (s._tag === "Suspended") {
        suspended.push({ ...task, type: s.type, payload: s.payload })
        continue
      }
      data = { ...data, ...s.updates }
      if (s.error !== undefined) errors.push(s.error)
      flag = (flag ?? true) && s.success
      await runInside(runtime, observer({ seq: task.seq, execution: s.execution, updates: s.updates }))
      for (const target of s.next) if (!next.includes(target)) next.push(target)
    }
    let seq = state[SEQ]
    const frontier: Array<Task> = []
    for (const target of next) {
      if (joins.has(target)) held.add(target)
      else frontier.push({ node: target, seq: ++seq })
    }
    let waiting = [...held]
    if (frontier.length === 0 && suspended.length === 0 && waiting.length > 0) {
      for (const node of waiting) frontier.push({ node, seq: ++seq })
      waiting = []
    }
    return {
      [DATA]: data,
      [ERRORS]: errors,
      ...(flag !== undefined ? { [FLAG]: flag } : {}),
      [FRONTIER]: frontier,
      [WAITING]: waiting,
      [SEQ]: seq,
      [SUSPENDED]: suspended,
      [RESUME]: {}
    }
  }

  /** One suspension at a time: raise it, and when the answer comes, run that node again with it. */
  const wait = (state: GraphState): GraphUpdate => {
    const [first, ...rest] = state[SUSPENDED]
    const value: InterruptValue = { seq: first!.seq, node: first!.node, type: first!.type, payload: first!.payload }
    const answer = interrupt<InterruptValue, ResumeInput | undefined>(value)
    return {
      [SUSPENDED]: rest,
      [FRONTIER]: [...state[FRONTIER], { node: first!.node, seq: first!.seq }],
      [RESUME]: { ...state[RESUME], [String(first!.seq)]: answer ?? { action: "continue", data: null } }
    }
  }

  const graph = new StateGraph(State) as unknown as DynamicGraph
  graph.addNode(STEP, step)
  graph.addNode(WAIT, wait)
  graph.addEdge(START, STEP)
  graph.addConditionalEdges(STEP, (state: GraphState) => (state[SUSPENDED].length > 0 ? WAIT : state[FRONTIER].length > 0 ? STEP : END), [WAIT, STEP, END])
  graph.addEdge(WAIT, STEP)
  return graph
}

const resumeFor = (answers: Readonly<Record<string, ResumeInput>>, task: Task) => {
  const answer = answers[String(task.seq)]
  return answer === undefined ? undefined : { ...answer, token: null }
}

/** The input that starts a graph: its state, and its entry node as run number 1. */
export const startInput = (plan: RunPlan, input: GraphState[typeof DATA]): GraphUpdate => ({
  [DATA]: input,
  [FRONTIER]: [{ node: plan.graph.entry, seq: 1 }],
  [SEQ]: 1
})
