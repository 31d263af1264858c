import { Clock, Effect, Either, Exit, Metric, MetricBoundaries, MetricLabel } from "effect"

/**
 * Every metric AgentMap records, in Effect's global metric registry: the Prometheus exposition
 * (GET /metrics) and the OTLP exporter both read that registry. Names follow the Prometheus
 * conventions: `agentmap_` prefix, the base unit in the name (`_seconds`); a counter's `_total`
 * is added by the Prometheus serializer (OTLP names carry no such suffix). Labels are bounded
 * sets only: graph and node names come from the workflow files, never a thread id or a URL.
 *
 * Adapters (HTTP, LLM, cache) record through the helpers below too, so the whole set is
 * defined once, here, where the lead and an operator can read it.
 */

/** Seconds, from a fast node to a long run waiting on a slow model. */
const SECONDS = MetricBoundaries.fromIterable([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300])

export const runs = Metric.counter("agentmap_runs", { description: "Runs (each start or resume of a thread) by graph and how they ended: completed, failed, suspended; error (no result: the engine or the store failed) or interrupted (stopped with the process)" })
export const runDuration = Metric.histogram("agentmap_run_duration_seconds", SECONDS, "Wall time of each run leg (a start or a resume), by graph")
export const activeRuns = Metric.gauge("agentmap_active_runs", { description: "Runs executing in this process now, by graph" })
export const suspensions = Metric.counter("agentmap_suspensions", { description: "Runs that suspended waiting for a resume, by graph and the node that asked" })
export const resumes = Metric.counter("agentmap_resumes", { description: "Suspended threads resumed (their interrupt answered), by graph" })
export const resumeConflicts = Metric.counter("agentmap_resume_conflicts", { description: "Resumes refused with 409: the interrupt was already answered or the thread is running (ThreadBusy), or the thread has finished (ThreadFinished), by reason" })
export const pendingInterrupts = Metric.gauge("agentmap_pending_interrupts", { description: "Threads suspended and waiting for a resume, in the thread store (read when scraped)" })

export const nodeDuration = Metric.histogram("agentmap_node_duration_seconds", SECONDS, "Duration of each node execution, by graph, node and agent type")
export const nodeFailures = Metric.counter("agentmap_node_failures", { description: "Node executions that failed (the failure route was taken), by graph, node and agent type" })

export const llmCalls = Metric.counter("agentmap_llm_calls", { description: "Calls to a language model by provider, model and outcome (success or the failure reason)" })
export const llmDuration = Metric.histogram("agentmap_llm_call_duration_seconds", SECONDS, "Latency of each model call including its retries, by provider and model")
export const llmTokens = Metric.counter("agentmap_llm_tokens", { description: "Tokens used by model calls, by provider, model and type (input or output)" })
export const llmRetries = Metric.counter("agentmap_llm_retries", { description: "Model call attempts retried after a retryable failure, by provider and model" })
export const circuitOpens = Metric.counter("agentmap_llm_circuit_opens", { description: "Times a provider's circuit breaker opened (calls refused until its reset time), by provider" })

export const cacheHits = Metric.counter("agentmap_compile_cache_hits", { description: "User modules loaded from the compile cache" })
export const cacheMisses = Metric.counter("agentmap_compile_cache_misses", { description: "User modules that had to be compiled (not in the compile cache)" })

export const httpRequests = Metric.counter("agentmap_http_requests", { description: "HTTP requests by method, route template and status code" })
export const httpDuration = Metric.histogram("agentmap_http_request_duration_seconds", SECONDS, "Time to answer an HTTP request (to its response head; a stream's body is not included), by method and route template")

type Labels = Readonly<Record<string, string>>

const labelsOf = (labels: Labels) => Object.entries(labels).map(([key, value]) => MetricLabel.make(key, value))

const labelled = <Type, In, Out>(metric: Metric.Metric<Type, In, Out>, labels: Labels) => Metric.taggedWithLabels(metric, labelsOf(labels))

/** Adds `by` (1) to a counter. */
export const count = (metric: Metric.Metric.Counter<number>, labels: Labels = {}, by = 1): Effect.Effect<void> => Metric.incrementBy(labelled(metric, labels), by)

/** Moves a gauge by `by` (negative to take away). */
const shift = (metric: Metric.Metric.Gauge<number>, labels: Labels, by: number): Effect.Effect<void> => Metric.modify(labelled(metric, labels), by)

/** One observation of a histogram (seconds) or a gauge's new value. */
export const observe = (metric: Metric.Metric.Histogram<number> | Metric.Metric.Gauge<number>, labels: Labels, value: number): Effect.Effect<void> =>
  Metric.update(labelled(metric as Metric.Metric<unknown, number, unknown>, labels), value)

/** For code outside Effect (a synchronous counter in a cache adapter). */
export const countNow = (metric: Metric.Metric.Counter<number>, labels: Labels = {}, by = 1): void =>
  metric.unsafeUpdate(by, labelsOf(labels))

/**
 * `effect` (a run leg) counted as an active run of `graph` while it runs; a leg that ends without
 * a result document (the engine or the store failed, or the process stopped it) is counted as a
 * run with status `error` or `interrupted` (runEnded counts the others).
 */
export const whileActive = <A, E, R>(graph: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.zipRight(
    shift(activeRuns, { graph }, 1),
    Effect.onExit(effect, (exit) =>
      Exit.isSuccess(exit)
        ? shift(activeRuns, { graph }, -1)
        : Effect.zipRight(shift(activeRuns, { graph }, -1), count(runs, { graph, status: Exit.isInterrupted(exit) ? "interrupted" : "error" }))
    )
  )

/** How a run leg ended: its status, its wall time, and the node that suspended it. */
export const runEnded = (graph: string, status: string, seconds: number, suspendedAt: string | undefined): Effect.Effect<void> =>
  Effect.all([
    count(runs, { graph, status }),
    observe(runDuration, { graph }, seconds),
    suspendedAt === undefined ? Effect.void : count(suspensions, { graph, node: suspendedAt })
  ], { discard: true })

/** A node execution that finished (not one that suspended). */
export const nodeEnded = (graph: string, node: string, agentType: string, seconds: number, success: boolean): Effect.Effect<void> => {
  const labels = { graph, node, agent_type: agentType }
  return Effect.zipRight(observe(nodeDuration, labels, seconds), success ? Effect.void : count(nodeFailures, labels))
}

/** A model call (with its retries): counted by outcome, timed, and its tokens added up. */
export const modelCall = <A extends { readonly usage: { readonly inputTokens: number; readonly outputTokens: number } }, E extends { readonly reason: string }, R>(
  provider: string,
  model: string,
  call: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.gen(function* () {
    const t0 = yield* Clock.currentTimeNanos
    const outcome = yield* Effect.either(call)
    const seconds = Number((yield* Clock.currentTimeNanos) - t0) / 1e9
    const labels = { provider, model }
    yield* observe(llmDuration, labels, seconds)
    if (Either.isLeft(outcome)) {
      yield* count(llmCalls, { ...labels, outcome: outcome.left.reason })
      return yield* Effect.fail(outcome.left)
    }
    yield* count(llmCalls, { ...labels, outcome: "success" })
    yield* count(llmTokens, { ...labels, type: "input" }, outcome.right.usage.inputTokens)
    yield* count(llmTokens, { ...labels, type: "output" }, outcome.right.usage.outputTokens)
    return outcome.right
  })

export const queuePending = Metric.gauge("agentmap_queue_pending", { description: "Background runs waiting in the queue for a worker (read when scraped; the queue is shared by every process)" })
export const queueInFlight = Metric.gauge("agentmap_queue_in_flight", { description: "Background runs a worker holds now, in the whole queue (read when scraped)" })
export const queueOldestWait = Metric.gauge("agentmap_queue_oldest_wait_seconds", { description: "Seconds the oldest waiting background run has waited (read when scraped)" })
export const queuePickup = Metric.histogram("agentmap_queue_pickup_seconds", SECONDS, "Time from a background run's submit to its first pickup by a worker of this process")
