import { describe, expect, it } from "vitest"
import { normalizeAgentType } from "../../src/domain/AgentType.js"
import { DEFAULT_MATRIX, DEFAULT_TASK_TYPES, type RoutingConfig, type RoutingRequest, assessComplexity, chooseModels } from "../../src/domain/ModelRouting.js"
import { matchByKeywords, optionNamed } from "../../src/domain/Orchestration.js"

const config: RoutingConfig = {
  enabled: true,
  matrix: DEFAULT_MATRIX,
  taskTypes: DEFAULT_TASK_TYPES,
  lengthThresholds: { medium: 50, high: 100, critical: 200 },
  activities: {},
  fallback: { provider: "google", model: "gemini-fallback" },
  retryWithLowerComplexity: true
}
const request = (overrides: Partial<RoutingRequest> = {}): RoutingRequest => ({
  taskType: "customer_service",
  complexityOverride: undefined,
  providerPreference: undefined,
  excludedProviders: [],
  activity: undefined,
  preferQuality: false,
  preferSpeed: false,
  maxComplexity: undefined,
  text: "hi",
  available: ["openai", "anthropic", "google"],
  ...overrides
})

describe("model routing", () => {
  it("assesses complexity from length, the task's default and its keywords; an override wins", () => {
    expect(assessComplexity(config, request())).toBe("low")
    expect(assessComplexity(config, request({ text: "x".repeat(120) }))).toBe("high")
    expect(assessComplexity(config, request({ text: "I want a refund" }))).toBe("medium")
    expect(assessComplexity(config, request({ text: "I will escalate to legal" }))).toBe("high")
    const phrases: RoutingConfig = { ...config, taskTypes: { t: { providerPreference: ["openai"], defaultComplexity: "low", keywords: { critical: ["data breach"] } } } }
    expect(assessComplexity(phrases, request({ taskType: "t", text: "We had a data breach!" }))).toBe("critical")
    expect(assessComplexity(phrases, request({ taskType: "t", text: "data about a breach" }))).toBe("low")
    expect(assessComplexity(config, request({ text: "x".repeat(500), complexityOverride: "low" }))).toBe("low")
  })

  it("lists the preferred providers' models, then one level down, then the fallback, without repeats", () => {
    expect(chooseModels(config, request({ complexityOverride: "high" }))).toEqual({
      complexity: "high",
      candidates: [
        { provider: "anthropic", model: "claude-3-5-sonnet-latest" },
        { provider: "openai", model: "gpt-4o" },
        { provider: "google", model: "gemini-1.5-pro" },
        { provider: "openai", model: "gpt-4o-mini" },
        { provider: "google", model: "gemini-1.5-flash" },
        { provider: "google", model: "gemini-fallback" }
      ]
    })
  })

  it("adjusts for quality, speed and a cost ceiling, and skips excluded or unavailable providers", () => {
    expect(chooseModels(config, request({ preferQuality: true })).complexity).toBe("medium")
    expect(chooseModels(config, request({ complexityOverride: "high", preferSpeed: true })).complexity).toBe("medium")
    expect(chooseModels(config, request({ complexityOverride: "critical", maxComplexity: "medium" })).complexity).toBe("medium")
    const only = chooseModels(config, request({ excludedProviders: ["anthropic"], available: ["anthropic", "openai"] })).candidates
    expect(only.map((c) => c.provider)).toEqual(["openai"])
  })
})

describe("orchestration matching", () => {
  const options = [
    { name: "GetDrink", description: "Fetch a beverage such as coffee or tea" },
    { name: "GetFood", description: "Prepare a meal" }
  ]
  it("matches words of node names (double) and descriptions, with a confidence", () => {
    expect(matchByKeywords("a drink please", options)).toEqual({ node: "GetDrink", confidence: 1 })
    expect(matchByKeywords("coffee and a meal", options)?.confidence).toBeLessThan(0.5)
    expect(matchByKeywords("nothing relevant", options)).toBeUndefined()
  })
  it("reads the node a model named, exactly or inside a sentence", () => {
    expect(optionNamed(" getfood. ", options)).toBe("GetFood")
    expect(optionNamed("I would pick GetDrink here", options)).toBe("GetDrink")
    expect(optionNamed("no idea", options)).toBeUndefined()
    const overlapping = [{ name: "End", description: "" }, { name: "Drink", description: "" }, { name: "DrinkOrder", description: "" }, { name: "GetFood", description: "" }]
    expect(optionNamed("I recommend GetFood", overlapping)).toBe("GetFood")
    expect(optionNamed("go with DrinkOrder", overlapping)).toBe("DrinkOrder")
  })
  it("agent type aliases name the provider agents", () => {
    expect(["gpt", "ChatGPT", "ClaudeAgent", "gemini", "LLMAgent"].map(normalizeAgentType)).toEqual(["openai", "openai", "anthropic", "google", "llm"])
  })
})
