import { Effect } from "effect"

/** Resolves when SIGTERM or SIGINT arrives: the server then drains and closes. */
export const shutdownSignal = Effect.async<void>((resume) => {
  const stop = () => resume(Effect.void)
  process.once("SIGTERM", stop)
  process.once("SIGINT", stop)
  return Effect.sync(() => {
    process.off("SIGTERM", stop)
    process.off("SIGINT", stop)
  })
})
