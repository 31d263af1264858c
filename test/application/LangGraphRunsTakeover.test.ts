import { Effect, Exit, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import { LangGraphRuns, layer as langGraphRunsLayer } from "../../src/application/LangGraphRuns.js"
import { WorkflowService } from "../../src/application/WorkflowService.js"
import { StoreUnavailable } from "../../src/domain/Errors.js"
import { RunExecutor } from "../../src/ports/RunQueue.js"
import { RunStore } from "../../src/ports/RunStore.js"
import { ThreadRegistry } from "../../src/ports/ThreadRegistry.js"
import { appLayer, workspace } from "../support/workspace.js"

const header = "graph_name,node_name,agent_type,input_fields,output_field,prompt,context,success_next,failure_next"

describe("a background run whose worker died (attempt 2)", () => {
  it("continues the thread once the dead worker's lease ran out, and the run ends success", async () => {
    const dir = workspace({ "workflows/hello.csv": [header, "Hello,Greet,echo,name,greeting,,,Shout,", "Hello,Shout,echo,greeting,final,,,,"].join("\n") })
    const outcome = await Effect.runPromise(
      Effect.gen(function* () {
        const service = yield* WorkflowService
        const registry = yield* ThreadRegistry
        const store = yield* RunStore
        const runs = yield* LangGraphRuns
        const executor = yield* RunExecutor
        // a real thread's snapshot, then the state a worker killed mid-run leaves: running, its lease expired
        const done = yield* service.execute({ workflow: "hello::Hello", state: { name: "Ada" } })
        const template = Option.getOrThrow(yield* registry.get(done.result.thread_id))
        const threadId = `dead-${Date.now()}`
        const past = Date.now() - 60_000
        yield* registry.create({ ...template, thread_id: threadId, status: "running", result: null, lease_owner: "dead-worker", lease_expires_at: past, principal: "key:sdk" })
        const run = yield* runs.create({
          assistant_id: "hello::Hello",
          workflow: "hello::Hello",
          thread_id: threadId,
          if_not_exists: "create",
          kwargs: { input: { name: "Ada" }, command: null, stream_mode: [], config: null, webhook: null },
          metadata: {},
          multitask_strategy: "enqueue",
          caller: { id: "key:sdk", permissions: new Set(["execute"]) }
        })
        yield* store.transition(run.run_id, ["pending"], "running")
        yield* executor.execute({ run_id: run.run_id, thread_id: threadId, attempt: 2 })
        return { run: yield* store.get(run.run_id), thread: yield* registry.get(threadId) }
      }).pipe(Effect.provide(appLayer(dir)), Effect.scoped)
    )
    expect(Option.map(outcome.run, (r) => r.status)).toEqual(Option.some("success"))
    expect(Option.map(outcome.thread, (t) => [t.status, t.result?.outputs["final"]])).toEqual(Option.some(["completed", "Ada"]))
  })

  it("takes the leg's end when the dead worker had finished it: a suspension is not answered by the takeover", async () => {
    const dir = workspace({
      "workflows/approval.csv": [header, `Approval,Ask,human,doc,approved,Approve {doc}?,"{""interaction_type"": ""approval""}",Done,`, "Approval,Done,echo,approved,final,,,,"].join("\n")
    })
    const outcome = await Effect.runPromise(
      Effect.gen(function* () {
        const service = yield* WorkflowService
        const registry = yield* ThreadRegistry
        const store = yield* RunStore
        const runs = yield* LangGraphRuns
        const executor = yield* RunExecutor
        const threadId = `suspended-${Date.now()}`
        const run = yield* runs.create({
          assistant_id: "approval::Approval",
          workflow: "approval::Approval",
          thread_id: threadId,
          if_not_exists: "create",
          kwargs: { input: { doc: "d" }, command: null, stream_mode: [], config: null, webhook: null },
          metadata: {},
          multitask_strategy: "reject",
          caller: { id: "key:sdk", permissions: new Set(["execute"]) }
        })
        yield* store.transition(run.run_id, ["pending"], "running")
        yield* Effect.sleep("5 millis")
        // the first worker ran the leg to its interrupt, then died before recording the run
        yield* service.execute({ workflow: "approval::Approval", thread_id: threadId, state: { doc: "d" }, principal: "key:sdk" })
        const before = Option.getOrThrow(yield* registry.get(threadId))
        yield* executor.execute({ run_id: run.run_id, thread_id: threadId, attempt: 2 })
        return { run: yield* store.get(run.run_id), before, after: Option.getOrThrow(yield* registry.get(threadId)) }
      }).pipe(Effect.provide(appLayer(dir)), Effect.scoped)
    )
    expect(Option.map(outcome.run, (r) => r.status)).toEqual(Option.some("interrupted"))
    expect([outcome.after.status, outcome.after.interrupt?.id]).toEqual(["suspended", outcome.before.interrupt?.id])
  })
})

describe("a background run whose record cannot be read when its job is picked up", () => {
  it("fails the job (the queue tries it again later) instead of counting it done with the run left pending", async () => {
    const dir = workspace({ "workflows/hello.csv": [header, "Hello,Greet,echo,name,greeting,,,,"].join("\n") })
    const app = appLayer(dir)
    // the application's run store, its reads failing as during a database failover
    const unreadable = Layer.effect(
      RunStore,
      Effect.map(RunStore, (real) => RunStore.of({ ...real, get: () => Effect.fail(new StoreUnavailable({ store: "postgres://db", message: "connection refused" })) }))
    ).pipe(Layer.provide(app))
    const exit = await Effect.runPromise(
      Effect.flatMap(RunExecutor, (executor) => Effect.exit(executor.execute({ run_id: "r-1", thread_id: "t-1", attempt: 1 }))).pipe(
        // fresh: the application layer built the same run service already, over the real store
        Effect.provide(Layer.fresh(langGraphRunsLayer).pipe(Layer.provide(Layer.merge(app, unreadable)))),
        Effect.scoped
      )
    )
    expect(Exit.isFailure(exit) && !Exit.isInterrupted(exit)).toBe(true)
  })
})
