import { Effect, Either } from "effect"
import type { Json } from "../../domain/Json.js"
import type { ToolCallRecord } from "../../domain/RunResult.js"
import type { RunnableTool, ToolCallError } from "../../ports/Tools.js"
import type { AgentCall } from "./Agent.js"

export type ToolOutcome = { readonly record: ToolCallRecord } & ({ readonly _tag: "Ok"; readonly result: Json } | { readonly _tag: "Failed"; readonly error: ToolCallError })

/**
 * Calls one tool: its AbortSignal fires when the run is interrupted (timeout, shutdown, a
 * cancelled request). The call is recorded for `node_executions` and told to listeners (`tool` event).
 */
export const callTool = (call: AgentCall, tool: RunnableTool, args: Readonly<Record<string, unknown>>): Effect.Effect<ToolOutcome> =>
  Effect.gen(function* () {
    const controller = new AbortController()
    const outcome = yield* tool.call(args, controller.signal).pipe(
      Effect.onInterrupt(() => Effect.sync(() => controller.abort())),
      Effect.either
    )
    const shown = JSON.parse(JSON.stringify(args ?? {})) as Record<string, unknown>
    const done: ToolOutcome = Either.isRight(outcome)
      ? { _tag: "Ok", result: outcome.right, record: { name: tool.name, args: shown, result: outcome.right } }
      : { _tag: "Failed", error: outcome.left, record: { name: tool.name, args: shown, error: outcome.left.message } }
    if (done._tag === "Failed") yield* Effect.annotateCurrentSpan({ "error.type": done.error._tag, "agentmap.tool.failed": true })
    if (call.emitTool !== undefined) yield* call.emitTool(done.record)
    return done
  }).pipe(
    // the GenAI conventions' tool span; arguments and results stay off it (they are in the result document when tracked)
    Effect.withSpan(`execute_tool ${tool.name}`, {
      kind: "internal",
      attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": tool.name, "agentmap.node": call.node.name }
    })
  )
