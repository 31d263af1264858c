/**
 * The packages a user module shares with the running AgentMap (`agentmap`, `effect`, `effect/*`,
 * `zod`, `@langchain/core/*`): one instance, so `instanceof` and Effect tags work, whether
 * AgentMap runs from source, from its bundled CLI (where node_modules holds a different copy of
 * effect than the one running) or from a cloud bundle. The running process registers loaders on a
 * global registry; the module compiler turns those specifiers into small virtual modules that
 * re-export the registry's namespaces (ModuleCompiler.ts).
 */
export type Namespace = Readonly<Record<string, unknown>>
type Loader = () => Promise<Namespace>

interface Registry {
  readonly loaders: Map<string, Loader>
  readonly loaded: Map<string, Promise<Namespace>>
  readonly load: (specifier: string) => Promise<Namespace>
}

const KEY = Symbol.for("agentmap.hostModules")

/** Subpaths of `effect` are the namespaces its index exports (`effect/Schema` is `Schema` of `effect`). */
const effectSubpath = (specifier: string) => /^effect\/([A-Z]\w*)$/.exec(specifier)?.[1]

const registry = (): Registry => {
  const g = globalThis as { [KEY]?: Registry }
  const existing = g[KEY]
  if (existing !== undefined) return existing
  const loaders = new Map<string, Loader>()
  const loaded = new Map<string, Promise<Namespace>>()
  const created: Registry = {
    loaders,
    loaded,
    load: (specifier) => {
      const known = loaded.get(specifier)
      if (known !== undefined) return known
      const loader = loaders.get(specifier)
      const sub = effectSubpath(specifier)
      const promise =
        loader !== undefined
          ? loader()
          : sub !== undefined && loaders.has("effect")
            ? created.load("effect").then((ns) => {
                const member = ns[sub]
                if (typeof member !== "object" || member === null) throw new Error(`effect has no module '${sub}'`)
                return member as Namespace
              })
            : Promise.reject(new Error(`'${specifier}' is not a package AgentMap shares with user modules`))
      loaded.set(specifier, promise)
      return promise
    }
  }
  g[KEY] = created
  return created
}

/**
 * Makes `specifier` resolve, in user modules compiled from now on, to what `loader` returns.
 * With `ifAbsent`, an earlier registration (the running entry point's) wins.
 */
export const registerHostModule = (specifier: string, loader: Loader, options?: { readonly ifAbsent?: boolean }): void => {
  const r = registry()
  if (options?.ifAbsent === true && r.loaders.has(specifier)) return
  r.loaders.set(specifier, loader)
  r.loaded.delete(specifier)
}

/** Whether user modules get `specifier` from the running AgentMap. */
export const isHostModule = (specifier: string): boolean => {
  const r = registry()
  return r.loaders.has(specifier) || (effectSubpath(specifier) !== undefined && r.loaders.has("effect"))
}

/** The namespace user modules get for `specifier`. */
export const loadHostModule = (specifier: string): Promise<Namespace> => registry().load(specifier)

/** The expression a compiled user module evaluates to reach the registry (see ModuleCompiler). */
export const REGISTRY_EXPRESSION = `globalThis[Symbol.for("agentmap.hostModules")]`

/** Packages that may stay with whichever copy a module's folder resolves when AgentMap did not register them. */
export const SHARED_PREFIXES = ["agentmap", "effect", "zod", "@langchain/core"] as const

let defaults = false
/**
 * The packages AgentMap itself depends on. `agentmap` is registered by the entry points
 * (src/main), which know the public API's module.
 */
export const registerDefaultHostModules = (): void => {
  if (defaults) return
  defaults = true
  const r = registry()
  const add = (specifier: string, loader: Loader) => {
    if (!r.loaders.has(specifier)) r.loaders.set(specifier, loader)
  }
  add("effect", () => import("effect"))
  add("zod", () => import("zod"))
  add("zod/v4", () => import("zod/v4"))
  add("@langchain/core/tools", () => import("@langchain/core/tools"))
  add("@langchain/core/messages", () => import("@langchain/core/messages"))
  add("@langchain/core/runnables", () => import("@langchain/core/runnables"))
  add("@langchain/core/prompts", () => import("@langchain/core/prompts"))
}
