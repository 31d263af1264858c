import { Context, type Effect, Schema } from "effect"

export class FunctionNotFound extends Schema.TaggedError<FunctionNotFound>()("FunctionNotFound", {
  name: Schema.String,
  message: Schema.String
}) {}

/** A routing function: `name(state, successTarget, failureTarget) -> node | node[]`. */
export type RoutingFunction = (
  state: Readonly<Record<string, unknown>>,
  successTarget: string | ReadonlyArray<string> | null,
  failureTarget: string | ReadonlyArray<string> | null
) => unknown

/** User code in the functions folder (routing functions, custom success policies). */
export class UserFunctions extends Context.Tag("agentmap/UserFunctions")<
  UserFunctions,
  {
    readonly load: (name: string) => Effect.Effect<(...args: ReadonlyArray<unknown>) => unknown, FunctionNotFound>
    /** A hash of the function's source file (undefined when there is none), to notice changes between runs. */
    readonly fingerprint: (name: string) => Effect.Effect<string | undefined>
  }
>() {}
