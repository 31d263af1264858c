import * as path from "node:path"
import { Effect, Option } from "effect"
import { type ModuleLoadError, UserModules } from "../../ports/UserModules.js"
import { type FunctionNotFound, UserFunctions } from "../../ports/UserFunctions.js"
import * as ModuleUserFunctions from "../functions/ModuleUserFunctions.js"

type Namespace = Readonly<Record<string, unknown>>
type UserFunction = (...args: ReadonlyArray<unknown>) => unknown

/**
 * `serve --reload`: custom agent, tool and host-services modules whose new version fails to
 * compile or import keep serving their last version that loaded; the fingerprint recorded in a
 * thread's snapshot is the one of the code that actually runs.
 */
export const modules = (base: UserModules["Type"]) => {
  const good = new Map<string, { readonly hash: string; readonly namespace: Namespace }>()
  const broken = new Map<string, string | undefined>()

  /** Loads the file as it is now: its error (the last good version keeps serving), or none. */
  const check = (file: string): Effect.Effect<Option.Option<ModuleLoadError>> =>
    Effect.gen(function* () {
      const absolute = path.resolve(file)
      const hash = yield* base.fingerprint(absolute)
      const loaded = yield* Effect.either(base.load(absolute))
      if (loaded._tag === "Right") {
        good.set(absolute, { hash: hash ?? "", namespace: loaded.right })
        broken.delete(absolute)
        return Option.none()
      }
      broken.set(absolute, hash)
      return Option.some(loaded.left)
    })

  const load = (file: string) =>
    Effect.gen(function* () {
      const absolute = path.resolve(file)
      const last = good.get(absolute)
      const hash = yield* base.fingerprint(absolute)
      if (last !== undefined && (last.hash === hash || (broken.has(absolute) && broken.get(absolute) === hash))) return last.namespace
      const problem = yield* check(absolute)
      const now = good.get(absolute)
      if (Option.isSome(problem) && now === undefined) return yield* Effect.fail(problem.value)
      return now!.namespace
    })

  const fingerprint = (file: string) =>
    Effect.map(base.fingerprint(file), (hash) => {
      const absolute = path.resolve(file)
      const last = good.get(absolute)
      return last !== undefined && broken.has(absolute) && broken.get(absolute) === hash ? last.hash : hash
    })

  return { service: UserModules.of({ load, fingerprint }), check }
}

/** The same for routing functions, which are also imported again when their file changes. */
export const functions = (options: ModuleUserFunctions.FunctionOptions) => {
  const disk = ModuleUserFunctions.make(options)
  const good = new Map<string, { readonly hash: string | undefined; readonly fn: UserFunction }>()
  const broken = new Map<string, string | undefined>()

  const check = (name: string): Effect.Effect<Option.Option<FunctionNotFound>> =>
    Effect.gen(function* () {
      const hash = yield* disk.fingerprint(name)
      // a fresh loader: the plain one keeps the first version of a function for the process's life
      const loaded = yield* Effect.either(ModuleUserFunctions.make(options).load(name))
      if (loaded._tag === "Right") {
        good.set(name, { hash, fn: loaded.right })
        broken.delete(name)
        return Option.none()
      }
      broken.set(name, hash)
      return Option.some(loaded.left)
    })

  const load = (name: string) =>
    Effect.gen(function* () {
      const last = good.get(name)
      const hash = yield* disk.fingerprint(name)
      if (last !== undefined && (last.hash === hash || (broken.has(name) && broken.get(name) === hash))) return last.fn
      const problem = yield* check(name)
      const now = good.get(name)
      if (Option.isSome(problem) && now === undefined) return yield* Effect.fail(problem.value)
      return now!.fn
    })

  const fingerprint = (name: string) =>
    Effect.map(disk.fingerprint(name), (hash) => {
      const last = good.get(name)
      return last !== undefined && broken.has(name) && broken.get(name) === hash ? last.hash : hash
    })

  return { service: UserFunctions.of({ load, fingerprint }), check }
}
