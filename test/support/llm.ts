import type { FakeLlm } from "./FakeLlmServer.js"

/** Keys that look real enough to be caught by anything that leaks them. */
export const TEST_KEYS = { openai: "sk-test-openai-leakcheck-0001", anthropic: "sk-ant-test-leakcheck-0002", google: "AIzaTestLeakcheckGoogleKey00000003" } as const

/** Environment that points every provider at the fake server, with keys from the usual variables. */
export const llmEnv = (fake: FakeLlm): Record<string, string> => ({
  OPENAI_API_KEY: TEST_KEYS.openai,
  ANTHROPIC_API_KEY: TEST_KEYS.anthropic,
  GOOGLE_API_KEY: TEST_KEYS.google,
  AGENTMAP_LLM__OPENAI__BASE_URL: fake.openaiBaseUrl,
  AGENTMAP_LLM__ANTHROPIC__BASE_URL: fake.anthropicBaseUrl,
  AGENTMAP_LLM__GOOGLE__BASE_URL: fake.googleBaseUrl
})
