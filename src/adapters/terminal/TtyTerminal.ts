import { createInterface } from "node:readline/promises"
import { Effect, Layer, Option } from "effect"
import { Terminal } from "../../ports/Terminal.js"

/** Asks on stderr and reads stdin, only when both are an interactive terminal (stdout may be piped JSON). */
export const layer = Layer.succeed(
  Terminal,
  Terminal.of({
    ask: (question) =>
      process.stdin.isTTY !== true || process.stderr.isTTY !== true
        ? Effect.succeed(Option.none())
        : Effect.promise(async () => {
            const rl = createInterface({ input: process.stdin, output: process.stderr })
            try {
              const answer = await rl.question(`${question.trimEnd()} `)
              return Option.some(answer)
            } finally {
              rl.close()
            }
          })
  })
)

/** Nobody to ask: HTTP requests, cloud functions, tests. */
export const layerNone = Layer.succeed(Terminal, Terminal.of({ ask: () => Effect.succeed(Option.none()) }))

/** Scripted answers, for tests. */
export const layerScripted = (answers: ReadonlyArray<string>) => {
  const queue = [...answers]
  return Layer.succeed(
    Terminal,
    Terminal.of({ ask: () => Effect.sync(() => (queue.length > 0 ? Option.some(queue.shift()!) : Option.none())) })
  )
}
