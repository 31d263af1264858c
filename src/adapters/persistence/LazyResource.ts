import { Effect } from "effect"

/**
 * A connection opened on first use and closed with the layer's scope: commands that never touch
 * persistence (validate, init) do not load a native driver or connect to a database.
 */
export const lazyResource = <A, E>(open: () => Promise<A>, close: (a: A) => Promise<void>, mapError: (e: unknown) => E) =>
  Effect.gen(function* () {
    let opened: Promise<A> | undefined
    yield* Effect.addFinalizer(() =>
      opened === undefined ? Effect.void : Effect.promise(() => opened!.then(close, () => undefined).catch(() => undefined))
    )
    const get = Effect.tryPromise({
      try: () => {
        opened ??= open()
        return opened
      },
      catch: mapError
    })
    return get
  })
