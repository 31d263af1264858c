import type { BaseCheckpointSaver } from "@langchain/langgraph"
import { Effect, type Runtime, type Tracer } from "effect"
import { runInside } from "./Compile.js"

export const CHECKPOINT_SPAN = "agentmap.checkpoint.write"

/**
 * A saver whose writes (`put`: a step's checkpoint, `putWrites`: a node's pending writes) are
 * spans under the run they belong to (found by thread id), with the store and the bytes written.
 * LangGraph calls the saver outside any fiber, so the run's span is handed over explicitly.
 * Used only with telemetry on: off, the saver is used as it is and nothing is measured.
 */
export const tracedSaver = (
  saver: BaseCheckpointSaver,
  store: string,
  runtime: Runtime.Runtime<never>,
  spanOf: (threadId: string) => Tracer.AnySpan | undefined
): BaseCheckpointSaver => {
  const traced =
    <Args extends ReadonlyArray<unknown>, A>(operation: string, write: (...args: Args) => Promise<A>, bytes: (...args: Args) => number) =>
    (...args: Args): Promise<A> => {
      const config = args[0] as { configurable?: Record<string, unknown> } | undefined
      const threadId = String(config?.configurable?.["thread_id"] ?? "")
      const parent = spanOf(threadId)
      const span = Effect.promise(() => write(...args)).pipe(
        Effect.withSpan(CHECKPOINT_SPAN, {
          kind: "client",
          attributes: {
            "agentmap.checkpoint.store": store,
            "agentmap.checkpoint.operation": operation,
            "agentmap.checkpoint.bytes": bytes(...args),
            "agentmap.thread_id": threadId
          },
          ...(parent !== undefined ? { parent } : { root: true })
        })
      )
      return runInside(runtime, span)
    }
  const size = (value: unknown) => {
    try {
      return Buffer.byteLength(JSON.stringify(value) ?? "")
    } catch {
      return 0
    }
  }
  const put = traced("put", saver.put.bind(saver), (_config, checkpoint) => size(checkpoint))
  const putWrites = traced("put_writes", saver.putWrites.bind(saver), (_config, writes) => size(writes))
  return new Proxy(saver, {
    get(target, property, receiver) {
      if (property === "put") return put
      if (property === "putWrites") return putWrites
      const value = Reflect.get(target, property, receiver) as unknown
      return typeof value === "function" ? (value as (...a: Array<unknown>) => unknown).bind(target) : value
    }
  })
}
