import { Command, END, type LangGraphRunnableConfig, START, StateGraph, interrupt } from "@langchain/langgraph"
import { Cause, Effect, Exit, Option, Runtime, type Tracer } from "effect"
import { joinCandidates, joinRelease } from "../../domain/GraphAnalysis.js"
import type { ResumeInput } from "../../domain/Resume.js"
import { canFanOut } from "../../domain/Routing.js"
import type { NodeSpec } from "../../domain/Workflow.js"
import type { NodeExecution } from "../../domain/RunResult.js"
import type { NodeError, NodeHost, NodeStep, RunPlan, StepObserver } from "../../ports/WorkflowEngine.js"
import { useLightRunContext } from "./RunContext.js"
import { DATA, EXECUTIONS, type GraphState, type GraphUpdate, SCHEDULE, State, type Suspension, type Task, emptySchedule, view } from "./StateChannels.js"

/** Carries a typed failure (store outage, routing failure) out through LangGraph. */
export class AbortSignalError extends Error {
  constructor(readonly abort: unknown) {
    super(abort instanceof Error ? abort.message : "run aborted")
  }
}

type DynamicGraph = StateGraph<typeof State.spec, GraphState, GraphUpdate, string>

/**
 * Runs an effect from inside LangGraph: failures become exceptions LangGraph propagates. Given the
 * run's signal (LangGraph's, aborted when the run's fiber is interrupted: shutdown, a cancelled
 * request), the effect is interrupted with it, so agents see their own AbortSignal fire.
 */
export const runInside = async <A, E>(runtime: Runtime.Runtime<never>, effect: Effect.Effect<A, E>, signal?: AbortSignal): Promise<A> => {
  const exit = await Runtime.runPromiseExit(runtime)(effect, signal !== undefined ? { signal } : undefined)
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
 * Why this shape? LangGraph writes the version of every channel and every node's
 * `versions_seen` into every checkpoint, so a graph with a node and trigger channel per CSV row
 * (or a channel per state key) checkpoints in O(rows) per step and O(rows²) per run; the stack
 * notes measured a 1,000-node chain at ~6× its uncheckpointed time. Here the graph has two
 * nodes and two channels: the schedule (small) and the state as a DeltaChannel, whose
 * checkpoints store each step's updates rather than the whole state. A step's checkpoint is
 * the same size at step 10 and step 10,000 (bench/checkpoint.ts measures it).
 *
 * Joins: a node that several routes lead to, in a graph that can fan out, is held in WAITING
 * until nothing else is scheduled or suspended, then runs once (LangGraph's deferred nodes,
 * done here by the scheduler).
 */
/** What a node needs from the run it belongs to (looked up by thread, so one compiled graph serves every run). */
export interface RunHooks {
  readonly host: NodeHost
  readonly observer: StepObserver
  /** The run's own runtime: its nodes log with the run's annotations (graph, thread_id, correlation_id) and under its span. */
  readonly runtime?: Runtime.Runtime<never> | undefined
  /** The span of the run (or of the graph node running this subgraph): node spans are its children. */
  readonly span?: Tracer.AnySpan | undefined
}

export const compile = (plan: RunPlan, graphRuntime: Runtime.Runtime<never>, hooksFor: (threadId: string) => RunHooks) => {
  useLightRunContext()
  const nodes = new Map<string, NodeSpec>(plan.graph.nodes.map((n) => [n.name, n]))
  const joins = plan.graph.nodes.some((n) => canFanOut(n.routing)) ? joinCandidates(plan.graph) : new Set<string>()
  const release = joins.size > 0 ? joinRelease(plan.graph) : undefined

  const step = async (state: GraphState, config: LangGraphRunnableConfig): Promise<Command> => {
    const threadId = String(config.configurable?.["thread_id"] ?? "")
    const hooks = hooksFor(threadId)
    const { host, observer, span } = hooks
    const runtime = hooks.runtime ?? graphRuntime
    const run = state[SCHEDULE]
    const current = view(state)
    const steps: ReadonlyArray<NodeStep> = await Promise.all(
      run.frontier.map((task) =>
        runInside(runtime, underRun(plan.executeNode(nodes.get(task.node)!, current, { seq: task.seq, threadId, resume: resumeFor(run.resume, task) }, host), span), config.signal)
      )
    )
    const updates: Record<string, unknown> = {}
    const executions: Array<NodeExecution> = []
    const errors: Array<NodeError> = []
    const suspended: Array<Suspension> = [...run.suspended]
    const next: Array<string> = []
    const held = new Set(run.waiting)
    let flag: boolean | undefined
    for (const [i, s] of steps.entries()) {
      const task = run.frontier[i]!
      if (s._tag === "Suspended") {
        suspended.push({ ...task, type: s.type, payload: s.payload })
        continue
      }
      Object.assign(updates, s.updates)
      executions.push(s.execution)
      if (s.error !== undefined) errors.push(s.error)
      flag = (flag ?? true) && s.success
      await runInside(runtime, observer({ seq: task.seq, execution: s.execution, updates: s.updates }))
      for (const target of s.next) if (!next.includes(target)) next.push(target)
    }
    let seq = run.seq
    const frontier: Array<Task> = []
    for (const target of next) {
      if (joins.has(target)) held.add(target)
      else frontier.push({ node: target, seq: ++seq })
    }
    let waiting = [...held]
    if (frontier.length === 0 && suspended.length === 0 && waiting.length > 0 && release !== undefined) {
      // held joins that another held join leads to keep waiting for it: each runs once
      const due = release(waiting)
      for (const node of due.release) frontier.push({ node, seq: ++seq })
      waiting = [...due.keep]
    }
    // errors accumulate across nodes and branches; after a parallel step the flag is false if any branch's was
    if (errors.length > 0) updates["errors"] = [...((current["errors"] as ReadonlyArray<unknown> | undefined) ?? []), ...errors]
    if (flag !== undefined) updates["last_action_success"] = flag
    // routed by Command: a conditional edge would run (and trace) one more runnable every step
    return new Command({
      update: {
        [DATA]: updates as GraphState[typeof DATA],
        [SCHEDULE]: { frontier, waiting, seq, suspended, resume: {} },
        ...(executions.length > 0 ? { [EXECUTIONS]: executions } : {})
      },
      goto: suspended.length > 0 ? WAIT : frontier.length > 0 ? STEP : END
    })
  }

  /** One suspension at a time: raise it, and when the answer comes, run that node again with it. */
  const wait = (state: GraphState): GraphUpdate => {
    const run = state[SCHEDULE]
    const [first, ...rest] = run.suspended
    const value: InterruptValue = { seq: first!.seq, node: first!.node, type: first!.type, payload: first!.payload }
    const answer = interrupt<InterruptValue, ResumeInput | undefined>(value)
    return {
      [SCHEDULE]: {
        ...run,
        suspended: rest,
        frontier: [...run.frontier, { node: first!.node, seq: first!.seq }],
        resume: { ...run.resume, [String(first!.seq)]: answer ?? { action: "continue", data: null } }
      }
    }
  }

  const graph = new StateGraph(State) as unknown as DynamicGraph
  graph.addNode(STEP, step, { ends: [WAIT, STEP, END] })
  graph.addNode(WAIT, wait)
  graph.addEdge(START, STEP)
  graph.addEdge(WAIT, STEP)
  return graph
}

/** Node effects run on the engine's runtime, not the run's fiber: they are put under the run's span explicitly. */
const underRun = <A, E>(effect: Effect.Effect<A, E>, span: Tracer.AnySpan | undefined) => (span === undefined ? effect : Effect.withParentSpan(effect, span))

const resumeFor = (answers: Readonly<Record<string, ResumeInput>>, task: Task) => {
  const answer = answers[String(task.seq)]
  return answer === undefined ? undefined : { ...answer, token: null }
}

/** The input that starts a graph: its state, and its entry node as run number 1. */
export const startInput = (plan: RunPlan, input: GraphState[typeof DATA]): GraphUpdate => ({
  [DATA]: { errors: [], ...input },
  [SCHEDULE]: { ...emptySchedule, frontier: [{ node: plan.graph.entry, seq: 1 }], seq: 1 }
})
