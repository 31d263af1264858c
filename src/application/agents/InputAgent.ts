import { Effect, Either, Option } from "effect"
import { inputValue } from "../../domain/Resume.js"
import { fill } from "../../domain/Template.js"
import type { Terminal } from "../../ports/Terminal.js"
import { AgentFailure, type Agent, done, suspend } from "./Agent.js"

/**
 * Uses the value already in the state under its output key; otherwise asks on an interactive
 * terminal; otherwise suspends the run (`type: "input"`) until a resume brings the value
 * (`data.text`, `data.value` or a bare string). A node without Output_Field has nowhere to keep
 * an answer, so it neither asks nor waits.
 */
export const inputAgent =
  (terminal: Terminal["Type"]): Agent =>
  (call) => {
    const key = call.node.outputs[0]?.stateKey
    if (key === undefined) return Effect.succeed(done(null))
    if (call.resume !== undefined)
      return Either.match(inputValue(call.resume.data), {
        onLeft: (message) => Effect.fail(new AgentFailure({ type: "InvalidResume", message })),
        onRight: (value) => Effect.succeed(done(value))
      })
    const existing = call.state[key]
    if (existing !== undefined && existing !== null) return Effect.succeed(done(existing))
    const question = fill(call.prompt, call.inputs) || `Value for '${key}'`
    return terminal.ask(question).pipe(
      Effect.map(
        Option.match({
          onSome: (answer) => done(answer),
          onNone: () => suspend("input", { prompt: question, field: key })
        })
      )
    )
  }
