import * as path from "node:path"
import { Effect, Option } from "effect"
import { UserModules } from "../../ports/UserModules.js"
import { UserFunctions } from "../../ports/UserFunctions.js"
import * as ModuleUserFunctions from "../functions/ModuleUserFunctions.js"

/**
 * The last version of each piece of user code that loaded, keyed by file or name: while the
 * version on disk fails to load, the last good one keeps serving, and its fingerprint is the one
 * reported (a thread's snapshot records the code that actually runs).
 */
const lastGood = <V, E>(hashOf: (key: string) => Effect.Effect<string | undefined>, fresh: (key: string) => Effect.Effect<V, E>) => {
  const good = new Map<string, { readonly hash: string | undefined; readonly value: V }>()
  const broken = new Map<string, string | undefined>()

  /** Loads the key as it is now: its error (the last good version keeps serving), or none. */
  const check = (key: string): Effect.Effect<Option.Option<E>> =>
    Effect.gen(function* () {
      const hash = yield* hashOf(key)
      const loaded = yield* Effect.either(fresh(key))
      if (loaded._tag === "Right") {
        good.set(key, { hash, value: loaded.right })
        broken.delete(key)
        return Option.none()
      }
      broken.set(key, hash)
      return Option.some(loaded.left)
    })

  const load = (key: string): Effect.Effect<V, E> =>
    Effect.gen(function* () {
      const last = good.get(key)
      const hash = yield* hashOf(key)
      if (last !== undefined && (last.hash === hash || (broken.has(key) && broken.get(key) === hash))) return last.value
      const problem = yield* check(key)
      const now = good.get(key)
      if (Option.isSome(problem) && now === undefined) return yield* Effect.fail(problem.value)
      return now!.value
    })

  const fingerprint = (key: string) =>
    Effect.map(hashOf(key), (hash) => {
      const last = good.get(key)
      return last !== undefined && broken.has(key) && broken.get(key) === hash ? last.hash : hash
    })

  return { check, load, fingerprint }
}

/** `serve --reload`: custom agent, tool and host-services modules, by absolute path. */
export const modules = (base: UserModules["Type"]) => {
  const kept = lastGood((file) => base.fingerprint(file), (file) => base.load(file))
  return {
    service: UserModules.of({ load: (file) => kept.load(path.resolve(file)), fingerprint: (file) => kept.fingerprint(path.resolve(file)) }),
    check: (file: string) => kept.check(path.resolve(file))
  }
}

/** The same for routing functions, which are also imported again when their file changes. */
export const functions = (options: ModuleUserFunctions.FunctionOptions) => {
  const disk = ModuleUserFunctions.make(options)
  // a fresh loader each time: the plain one keeps the first version of a function for the process's life
  const kept = lastGood((name) => disk.fingerprint(name), (name) => ModuleUserFunctions.make(options).load(name))
  return { service: UserFunctions.of({ load: kept.load, fingerprint: kept.fingerprint }), check: kept.check }
}
