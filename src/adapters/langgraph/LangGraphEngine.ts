import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons"
import { BaseLangGraphError, type BaseCheckpointSaver, Command, GraphRecursionError } from "@langchain/langgraph"
import { Context, Effect, Layer, Option, Runtime, Tracer } from "effect"
import { StoreUnavailable } from "../../domain/Errors.js"
import type { JsonObject } from "../../domain/Json.js"
import type { ResumeInput } from "../../domain/Resume.js"
import type { RunError } from "../../domain/RunResult.js"
import {
  type EngineOutcome,
  type NodeHost,
  RoutingFailure,
  type RunOptions,
  type RunPlan,
  type StepObserver,
  type CustomObserver,
  type TokenObserver,
  WorkflowEngine
} from "../../ports/WorkflowEngine.js"
import { LangGraphSaver } from "../persistence/LangGraphSaver.js"
import { AbortSignalError, type InterruptValue, type RunHooks, compile, startInput } from "./Compile.js"
import { DATA, EXECUTIONS, type GraphState, view } from "./StateChannels.js"
import { LIGHT_CONTEXT } from "./RunContext.js"
import { engineError, unrecoverable } from "./EngineErrors.js"
import { tracedSaver } from "./CheckpointSpans.js"
import { TelemetryControl } from "../telemetry/Telemetry.js"

type Input = ReturnType<typeof startInput> | Command | null

const noObserver: StepObserver = () => Effect.void

/** Runs CSV graphs on LangGraph with the configured checkpointer; each run streams full-state values. */
/** Who listens to a run as it happens (a model's answer piece by piece, custom agents' events). */
interface Listeners {
  readonly tokens?: TokenObserver | undefined
  readonly custom?: CustomObserver | undefined
}

export const make = Effect.gen(function* () {
  // the engine is made inside the first run: that run's span must not become every later node's parent
  const captured: Runtime.Runtime<never> = yield* Effect.runtime<never>()
  const runtime = Runtime.make({ ...captured, context: Context.omit(Tracer.ParentSpan)(captured.context) as Context.Context<never> })
  const saverHandle = yield* LangGraphSaver
  const telemetry = yield* Effect.serviceOption(TelemetryControl)
  const traced = Option.isSome(telemetry) && telemetry.value.enabled
  // one compiled graph per plan (plans are cached by the application); per-run hooks by thread id
  const compiled = new WeakMap<RunPlan, { saver: BaseCheckpointSaver | undefined; graph: ReturnType<ReturnType<typeof compile>["compile"]> }>()
  const hooks = new Map<string, RunHooks>()
  const hooksFor = (threadId: string): RunHooks => hooks.get(threadId) ?? { host: host("sync", {}), observer: noObserver }
  const graphFor = (plan: RunPlan, saver: BaseCheckpointSaver | undefined) => {
    const cached = compiled.get(plan)
    if (cached !== undefined && cached.saver === saver) return cached.graph
    const checkpointer = saver !== undefined && traced ? tracedSaver(saver, saverHandle.kind ?? "custom", runtime, (threadId) => hooks.get(threadId)?.span) : saver
    const graph = compile(plan, runtime, hooksFor).compile(checkpointer === undefined ? {} : { checkpointer })
    compiled.set(plan, { saver, graph })
    return graph
  }

  const outcome = (state: GraphState | undefined, extra: Partial<EngineOutcome>): EngineOutcome => ({
    status: "completed",
    state: state === undefined ? {} : view(state),
    executions: state?.[EXECUTIONS] ?? [],
    error: undefined,
    interrupt: undefined,
    ...extra
  })

  const failed = (state: GraphState | undefined, error: RunError) => outcome(state, { status: "failed", error })

  const execute = (
    plan: RunPlan,
    threadId: string,
    input: Input,
    observer: StepObserver,
    durability: RunOptions["durability"],
    tokens: Listeners
  ): Effect.Effect<EngineOutcome, StoreUnavailable> =>
    Effect.flatMap(
      Effect.all([saverHandle.get, Effect.runtime<never>(), Effect.option(Effect.currentSpan)]),
      ([saver, runRuntime, span]: readonly [BaseCheckpointSaver | undefined, Runtime.Runtime<never>, Option.Option<Tracer.Span>]) =>
      Effect.async<EngineOutcome, StoreUnavailable>((resume, signal) => {
        let last: GraphState | undefined
        let interrupts: ReadonlyArray<{ id?: string; value?: unknown }> = []
        // a durable store keeps every step (a crash loses at most the node in flight); a memory one only what could be resumed
        const graph = graphFor(plan, saverHandle.ephemeral === true && !plan.maySuspend ? undefined : saver)
        hooks.set(threadId, { host: host(durability, tokens), observer, runtime: runRuntime, span: Option.getOrUndefined(span) })
        const run = async () => {
          const stream = await graph.stream(input as never, {
            configurable: { thread_id: threadId, [LIGHT_CONTEXT]: true },
            recursionLimit: plan.maxSteps * 2 + 10,
            streamMode: "values",
            durability,
            signal
          })
          for await (const chunk of stream as AsyncIterable<Record<string, unknown>>) {
            if ("__interrupt__" in chunk) interrupts = chunk["__interrupt__"] as typeof interrupts
            else if (DATA in chunk) last = chunk as unknown as GraphState
          }
        }
        // a subgraph runs as its own thread: detach from the parent's LangGraph context so it is not nested in it
        AsyncLocalStorageProviderSingleton.getInstance()
          .run(undefined, run)
          .finally(() => hooks.delete(threadId))
          .then(
            () => {
              const first = interrupts[0]
              if (first === undefined) return resume(Effect.succeed(outcome(last, {})))
              const value = first.value as InterruptValue
              resume(
                Effect.succeed(
                  outcome(last, {
                    status: "suspended",
                    interrupt: { id: first.id ?? `${threadId}:${value.seq}`, node: value.node, type: value.type, payload: value.payload }
                  })
                )
              )
            },
            (e: unknown) => {
              if (e instanceof AbortSignalError) {
                const abort = e.abort
                if (abort instanceof RoutingFailure) return resume(Effect.succeed(failed(last, { tag: "RoutingError", message: abort.message })))
                if (abort instanceof StoreUnavailable) return resume(Effect.fail(abort))
                return resume(Effect.die(abort))
              }
              if (e instanceof GraphRecursionError)
                return resume(
                  Effect.succeed(
                    failed(last, {
                      tag: "StepLimitExceeded",
                      message: `graph '${plan.graph.name}' did not finish within ${plan.maxSteps} steps; if it loops on purpose, raise execution.max_steps`
                    })
                  )
                )
              // LangGraph's own words name its internals (channels, __start__): the log keeps them, the result says what happened
              if (e instanceof BaseLangGraphError)
                return resume(Effect.logError(`the engine stopped thread '${threadId}': ${e.name}: ${e.message}`).pipe(Effect.as(failed(last, engineError(threadId)))))
              return resume(Effect.die(e))
            }
          )
      })
    )

  /**
   * Continues a thread from its checkpoints, or starts it from `input` when it has none (a thread
   * whose process died before its first checkpoint, or a subgraph's first run).
   */
  const startOrContinue = (
    plan: RunPlan,
    threadId: string,
    input: JsonObject | null,
    observer: StepObserver,
    durability: RunOptions["durability"],
    tokens: Listeners
  ) =>
    Effect.flatMap(saverHandle.get, (saver) =>
      Effect.promise(async () => saver?.getTuple({ configurable: { thread_id: threadId } })).pipe(
        Effect.flatMap((existing) =>
          existing !== undefined
            ? execute(plan, threadId, null, observer, durability, tokens)
            : input === null
              ? Effect.succeed(failed(undefined, unrecoverable(threadId)))
              : execute(plan, threadId, startInput(plan, input), observer, durability, tokens)
        )
      )
    )

  /** Subgraphs run as threads of their own on the same checkpointer; a crashed one continues where it stopped. */
  // subgraphs stream their models' answers to whoever listens to the parent
  const host = (durability: RunOptions["durability"], tokens: Listeners): NodeHost => ({
    tokens: tokens.tokens,
    custom: tokens.custom,
    runSubgraph: (plan, threadId, input) => startOrContinue(plan, threadId, input, noObserver, durability, tokens),
    resumeSubgraph: (plan, threadId, answer) => execute(plan, threadId, new Command({ resume: answer }), noObserver, durability, tokens)
  })

  return WorkflowEngine.of({
    run: (plan, threadId, input: JsonObject, options) => execute(plan, threadId, startInput(plan, input), options.observer, options.durability, options),
    resume: (plan, threadId, answer: ResumeInput, options) =>
      execute(plan, threadId, new Command({ resume: answer, ...(options.update !== undefined ? { update: { [DATA]: options.update } } : {}) }), options.observer, options.durability, options),
    recover: (plan, threadId, input, options) => startOrContinue(plan, threadId, input, options.observer, options.durability, options)
  })
})

export const layer = Layer.effect(WorkflowEngine, make)
