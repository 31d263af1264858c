import type { RunnableConfig } from "@langchain/core/runnables"
import { EmptyInputError, MemorySaver } from "@langchain/langgraph"
import { Effect, Layer, LogLevel, Logger } from "effect"
import { describe, expect, it } from "vitest"
import * as LangGraphEngine from "../../src/adapters/langgraph/LangGraphEngine.js"
import { LangGraphSaver } from "../../src/adapters/persistence/LangGraphSaver.js"
import type { NodeSpec } from "../../src/domain/Workflow.js"
import { type RunOptions, type RunPlan, WorkflowEngine } from "../../src/ports/WorkflowEngine.js"

const node = (name: string, next: ReadonlyArray<string>): NodeSpec => ({
  name,
  agentType: "default",
  declaredType: "default",
  prompt: "",
  description: "",
  context: {},
  inputs: [],
  outputs: [],
  routing: next.length === 0 ? { _tag: "End" } : { _tag: "Edge", targets: next },
  routingCells: {},
  toolSource: "",
  availableTools: "",
  file: "g.csv",
  line: 2,
  columns: {}
})

/** A two-node plan whose nodes record that they ran and copy the state's `who` into their output. */
const plan = (ran: Array<string>): RunPlan => ({
  graph: { name: "G", file: "g.csv", line: 1, entry: "A", nodes: [node("A", ["B"]), node("B", [])] },
  maxSteps: 10,
  maySuspend: false,
  executeNode: (spec, state) =>
    Effect.sync(() => {
      ran.push(spec.name)
      return {
        _tag: "Completed" as const,
        updates: { [spec.name]: `${spec.name} for ${String(state["who"])}` },
        success: true,
        error: undefined,
        execution: { node: spec.name, agent_type: "default", success: true, started_at: "2026-01-01T00:00:00.000Z", duration_ms: 0 },
        next: spec.name === "A" ? ["B"] : []
      }
    })
})

const options: RunOptions = { observer: () => Effect.void, durability: "sync" }

const withEngine = <A, E>(saver: MemorySaver, use: (engine: WorkflowEngine["Type"]) => Effect.Effect<A, E>) =>
  Effect.runPromise(
    Effect.flatMap(WorkflowEngine, use).pipe(
      Effect.provide(LangGraphEngine.layer),
      Effect.provide(Layer.succeed(LangGraphSaver, { get: Effect.succeed(saver) })),
      Logger.withMinimumLogLevel(LogLevel.None)
    )
  )

describe("recovering a thread whose process died", () => {
  it("starts it from its input when it has no checkpoint, and continues from its checkpoints when it has some", async () => {
    const saver = new MemorySaver()
    const ran: Array<string> = []
    const fresh = await withEngine(saver, (e) => e.recover(plan(ran), "never-checkpointed", { who: "Ada" }, options))
    expect([fresh.status, fresh.state["B"], ran]).toEqual(["completed", "B for Ada", ["A", "B"]])
    const again = await withEngine(saver, (e) => e.recover(plan(ran), "never-checkpointed", { who: "someone else" }, options))
    expect([again.status, again.state["B"], ran]).toEqual(["completed", "B for Ada", ["A", "B"]])
  })

  it("fails the run, in its own words, when there is no checkpoint and no recorded input", async () => {
    const ran: Array<string> = []
    const outcome = await withEngine(new MemorySaver(), (e) => e.recover(plan(ran), "old-thread", null, options))
    expect([outcome.status, outcome.error?.tag, ran]).toEqual(["failed", "NotRecoverable", []])
    expect(outcome.error?.message).toContain("thread 'old-thread' stopped before its first checkpoint")
  })
})

/** A store whose checkpoints make LangGraph itself refuse to go on. */
class RefusingSaver extends MemorySaver {
  override async getTuple(_config: RunnableConfig): Promise<undefined> {
    throw new EmptyInputError(`Received no input writes for ["__start__"]`)
  }
}

describe("an error LangGraph raises", () => {
  it("ends the run as failed with an EngineError in AgentMap's words, never LangGraph's", async () => {
    const outcome = await withEngine(new RefusingSaver(), (e) => e.run(plan([]), "t-1", { who: "Ada" }, options))
    expect([outcome.status, outcome.error?.tag]).toEqual(["failed", "EngineError"])
    expect(outcome.error?.message).toContain("thread 't-1'")
    expect(outcome.error?.message).not.toMatch(/__start__|input writes/)
  })
})
