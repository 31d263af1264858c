import { Effect, Option } from "effect"
import { InputRequired } from "../../domain/Errors.js"
import { fill } from "../../domain/Template.js"
import type { Terminal } from "../../ports/Terminal.js"
import type { Agent } from "./Agent.js"

/**
 * Uses the value already in the state under its output key; otherwise asks on an interactive
 * terminal; otherwise the run cannot go on (exit 2, with how to pre-fill the value).
 * A node without Output_Field has nowhere to keep an answer, so it does not ask.
 */
export const inputAgent =
  (terminal: Terminal["Type"]): Agent =>
  (call) => {
    const key = call.node.outputs[0]?.stateKey
    if (key === undefined) return Effect.succeed({ value: null, success: true })
    const existing = call.state[key]
    if (existing !== undefined && existing !== null) return Effect.succeed({ value: existing, success: true })
    const question = fill(call.prompt, call.inputs) || `Value for '${key}'`
    return terminal.ask(question).pipe(
      Effect.flatMap(
        Option.match({
          onSome: (answer) => Effect.succeed({ value: answer, success: true }),
          onNone: () =>
            Effect.fail(
              new InputRequired({
                node: call.node.name,
                field: key,
                message: `input node '${call.node.name}' needs a value for '${key}' and there is no interactive terminal to ask: pass it in the initial state, e.g. --state '{"${key}": "..."}'`
              })
            )
        })
      )
    )
  }
