import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons"

/**
 * LangChain keeps the config of the runnable in flight in an AsyncLocalStorage store, and for
 * every node, edge and channel write of a run it builds a langsmith RunTree to be that store even
 * with tracing off (a uuid v7 from crypto, dates, environment reads: about a tenth of a short
 * run's CPU and of its garbage). For AgentMap's own runs — configs carrying `LIGHT_CONTEXT` in
 * `configurable`, set by the engine — with no LangSmith tracer around (no `langchain_tracer`
 * callback, no traced parent, tracing not switched on in the environment) the store is a plain
 * object holding what LangChain reads back from it: the runnable config (which `interrupt()` and
 * `getConfig()` need) and the context variables. Anything else (a host's own LangChain calls)
 * goes through LangChain's own code unchanged.
 */
export const LIGHT_CONTEXT = "__agentmap_light_context"

const CHILD_CONFIG = Symbol.for("lc:child_config")
const CONTEXT_VARIABLES = Symbol.for("lc:context_variables")
const TRACING_VARIABLES = ["LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING_V2", "LANGSMITH_TRACING", "LANGCHAIN_TRACING"]

interface Config {
  readonly callbacks?: unknown
  readonly configurable?: Readonly<Record<string, unknown>>
}
type RunWithConfig = (config: Config | undefined, callback: () => unknown, avoidCreatingRootRunTree?: boolean) => unknown
type Store = { [CONTEXT_VARIABLES]?: unknown; extra?: Record<symbol, unknown>; createChild?: unknown } | undefined

const handlersOf = (callbacks: unknown): ReadonlyArray<unknown> =>
  callbacks === undefined || callbacks === null
    ? []
    : Array.isArray(callbacks)
      ? callbacks
      : ((callbacks as { readonly handlers?: ReadonlyArray<unknown> }).handlers ?? [])

const tracerIn = (callbacks: unknown) => handlersOf(callbacks).some((h) => (h as { readonly name?: unknown } | null)?.name === "langchain_tracer")

let installed = false

/** Installs the plain-object store once per process (idempotent); not at all when LangSmith tracing is on in the environment. */
export const useLightRunContext = () => {
  if (installed) return
  installed = true
  if (TRACING_VARIABLES.some((name) => process.env[name] === "true")) return
  const provider = AsyncLocalStorageProviderSingleton as unknown as { runWithConfig: RunWithConfig }
  const original = provider.runWithConfig.bind(provider)
  provider.runWithConfig = (config, callback, avoidCreatingRootRunTree) => {
    if (config?.configurable?.[LIGHT_CONTEXT] !== true || avoidCreatingRootRunTree === true || tracerIn(config.callbacks))
      return original(config, callback, avoidCreatingRootRunTree)
    const storage = AsyncLocalStorageProviderSingleton.getInstance()
    const previous = storage.getStore() as Store
    // inside a traced parent (a RunTree), LangChain links the child to it
    if (typeof previous?.createChild === "function") return original(config, callback, avoidCreatingRootRunTree)
    const store: Store = { extra: { [CHILD_CONFIG]: config } }
    if (previous?.[CONTEXT_VARIABLES] !== undefined) store[CONTEXT_VARIABLES] = previous[CONTEXT_VARIABLES]
    return storage.run(store, callback)
  }
}
