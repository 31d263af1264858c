import { Effect, Layer } from "effect"
import { FunctionNotFound, UserFunctions } from "../../ports/UserFunctions.js"

/** A routing function module compiled into a cloud bundle, with the sha256 of its source file. */
export interface CompiledFunction {
  readonly module: Readonly<Record<string, unknown>>
  readonly hash: string
}

let compiled: ReadonlyMap<string, CompiledFunction> | undefined

/** Called by a cloud bundle's entry (written by scripts/build-cloud.mjs) before the first invocation. */
export const registerCompiledFunctions = (functions: Readonly<Record<string, CompiledFunction>>) => {
  compiled = new Map(Object.entries(functions))
}

/** The functions compiled into this bundle, or undefined when this is not a cloud bundle. */
export const compiledFunctions = () => compiled

/**
 * Routing functions from the bundle itself: a cloud container has no compiler, and its code
 * cannot change under a running thread. The fingerprint is the source file's sha256, the same
 * as the functions folder gives, so a thread started elsewhere resumes here.
 */
export const layer = (functions: ReadonlyMap<string, CompiledFunction>) =>
  Layer.succeed(
    UserFunctions,
    UserFunctions.of({
      load: (name) => {
        const entry = functions.get(name)
        const fn = entry?.module[name] ?? entry?.module["default"]
        return typeof fn === "function"
          ? Effect.succeed(fn as (...args: ReadonlyArray<unknown>) => unknown)
          : Effect.fail(
              new FunctionNotFound({
                name,
                message:
                  entry === undefined
                    ? `function '${name}' is not compiled into this bundle (${functions.size === 0 ? "it has none" : `it has ${[...functions.keys()].join(", ")}`}); add it to the functions folder and rebuild`
                    : `function '${name}': its module exports no function named '${name}' and no default function`
              })
            )
      },
      fingerprint: (name) => Effect.succeed(functions.get(name)?.hash)
    })
  )
