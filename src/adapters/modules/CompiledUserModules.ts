import * as path from "node:path"
import { Effect, Layer } from "effect"
import { ModuleLoadError, UserModules } from "../../ports/UserModules.js"

/** A user module compiled into a cloud bundle, with the sha256 of its source file. */
export interface CompiledModule {
  readonly module: Readonly<Record<string, unknown>>
  readonly hash: string
}

let compiled: ReadonlyMap<string, CompiledModule> | undefined

/**
 * Called by a cloud bundle's entry (written by scripts/build-cloud.mjs) before the first
 * invocation, with the modules of the custom agents, tools and host services folders keyed by
 * their path relative to the bundle root (`custom_agents/weather.ts`).
 */
export const registerCompiledModules = (modules: Readonly<Record<string, CompiledModule>>) => {
  compiled = new Map(Object.entries(modules).map(([k, v]) => [k.split(path.sep).join("/"), v]))
}

/** The modules compiled into this bundle, or undefined when this is not a cloud bundle. */
export const compiledModules = () => compiled

/**
 * User modules from the bundle itself: a cloud container has no compiler, and its code cannot
 * change under a running thread. Paths are looked up relative to `root` (the bundle's folder);
 * the fingerprint is the source file's sha256, as the folder gives, so threads move between doors.
 */
export const layer = (modules: ReadonlyMap<string, CompiledModule>, root: string) => {
  const key = (file: string) => path.relative(root, path.resolve(root, file)).split(path.sep).join("/")
  return Layer.succeed(
    UserModules,
    UserModules.of({
      load: (file) => {
        const entry = modules.get(key(file))
        return entry !== undefined
          ? Effect.succeed(entry.module)
          : Effect.fail(
              new ModuleLoadError({
                file,
                message: `not compiled into this bundle (${modules.size === 0 ? "it has no user modules" : `it has ${[...modules.keys()].join(", ")}`}); add it to its folder and rebuild`
              })
            )
      },
      fingerprint: (file) => Effect.succeed(modules.get(key(file))?.hash)
    })
  )
}
