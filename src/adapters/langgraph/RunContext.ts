import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons"

/**
 * LangChain keeps the config of the runnable in flight in an AsyncLocalStorage store, and for
 * every node, edge and channel write of a run it builds a langsmith RunTree to be that store even
 * with tracing off (a uuid v7 from crypto, dates, environment reads: about a tenth of a short
 * run's CPU and of its garbage). Nothing of AgentMap traces to LangSmith, so unless a LangSmith
 * tracer is present (a `langchain_tracer` callback, or tracing switched on in the environment)
 * the store is a plain object holding what LangChain reads back from it: the runnable config
 * (which `interrupt()` and `getConfig()` need) and the context variables.
 */
const CHILD_CONFIG = Symbol.for("lc:child_config")
const CONTEXT_VARIABLES = Symbol.for("lc:context_variables")
const TRACING_VARIABLES = ["LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING_V2", "LANGSMITH_TRACING", "LANGCHAIN_TRACING"]

type RunWithConfig = (config: { readonly callbacks?: unknown } | undefined, callback: () => unknown, avoidCreatingRootRunTree?: boolean) => unknown
type Store = { [CONTEXT_VARIABLES]?: unknown; extra?: Record<symbol, unknown> } | undefined

const handlersOf = (callbacks: unknown): ReadonlyArray<unknown> =>
  callbacks === undefined || callbacks === null
    ? []
    : Array.isArray(callbacks)
      ? callbacks
      : ((callbacks as { readonly handlers?: ReadonlyArray<unknown> }).handlers ?? [])

const tracerIn = (callbacks: unknown) => handlersOf(callbacks).some((h) => (h as { readonly name?: unknown } | null)?.name === "langchain_tracer")

let installed = false

/** Installs the plain-object store once per process (idempotent); a no-op when LangSmith tracing is on. */
export const useLightRunContext = (env: NodeJS.ProcessEnv = process.env) => {
  if (installed) return
  installed = true
  if (TRACING_VARIABLES.some((name) => env[name] === "true")) return
  const provider = AsyncLocalStorageProviderSingleton as unknown as { runWithConfig: RunWithConfig }
  const original = provider.runWithConfig.bind(provider)
  provider.runWithConfig = (config, callback, avoidCreatingRootRunTree) => {
    if (avoidCreatingRootRunTree === true || tracerIn(config?.callbacks)) return original(config, callback, avoidCreatingRootRunTree)
    const storage = AsyncLocalStorageProviderSingleton.getInstance()
    const previous = storage.getStore() as Store
    const store: Store = { extra: { [CHILD_CONFIG]: config } }
    if (previous?.[CONTEXT_VARIABLES] !== undefined) store[CONTEXT_VARIABLES] = previous[CONTEXT_VARIABLES]
    return storage.run(store, callback)
  }
}
