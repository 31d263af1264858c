import "@langchain/langgraph"
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons"
import { describe, expect, it } from "vitest"
import { LIGHT_CONTEXT, useLightRunContext } from "../../src/adapters/langgraph/RunContext.js"

const storeIn = (config: Record<string, unknown>) =>
  AsyncLocalStorageProviderSingleton.runWithConfig(config, async () => ({
    store: AsyncLocalStorageProviderSingleton.getInstance().getStore() as { createChild?: unknown } | undefined,
    config: AsyncLocalStorageProviderSingleton.getRunnableConfig()
  }))

describe("the async-local store of AgentMap's runs", () => {
  useLightRunContext()

  it("is a plain object for AgentMap's own runs that still hands the runnable config back (interrupt, getConfig)", async () => {
    const config = { configurable: { thread_id: "t1", [LIGHT_CONTEXT]: true } }
    const inside = await storeIn(config)
    expect(typeof inside.store?.createChild).toBe("undefined")
    expect(inside.config).toBe(config)
  })

  it("stays LangChain's own RunTree for anyone else's runnables in the process", async () => {
    const config = { configurable: { thread_id: "t2" } }
    const inside = await storeIn(config)
    expect(typeof inside.store?.createChild).toBe("function")
    expect(inside.config).toBe(config)
  })
})
