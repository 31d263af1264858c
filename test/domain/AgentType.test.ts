import { describe, expect, it } from "vitest"
import { customAgentTypeFromFile, normalizeAgentType } from "../../src/domain/AgentType.js"
import { parseInputs, parseOutputs } from "../../src/domain/Bindings.js"

describe("agent types", () => {
  it("are case-insensitive, default when empty, and drop a trailing Agent", () => {
    expect(["GraphAgent", "InputAgent", "LLMAgent", "", "Default", "echo", "input_agent", "Agent"].map(normalizeAgentType)).toEqual([
      "graph",
      "input",
      "llm",
      "default",
      "default",
      "echo",
      "input",
      "agent"
    ])
  })
})

describe("field bindings", () => {
  it("splits inputs on | (or commas when there is no |) and maps a:b and child=parent", () => {
    expect(parseInputs("a | b:param | child=parent")).toEqual([
      { stateKey: "a", param: "a" },
      { stateKey: "b", param: "param" },
      { stateKey: "parent", param: "child" }
    ])
    expect(parseInputs("goal,analysis")).toEqual([
      { stateKey: "goal", param: "goal" },
      { stateKey: "analysis", param: "analysis" }
    ])
  })
  it("reads multi-output and parent=child outputs", () => {
    expect(parseOutputs("a|b")).toEqual([{ stateKey: "a" }, { stateKey: "b" }])
    expect(parseOutputs("selected=child_final")).toEqual([{ stateKey: "selected", source: "child_final" }])
  })
})

describe("custom agent file names", () => {
  it("registers the type named by the file, ignoring a trailing _agent/Agent", () => {
    expect(customAgentTypeFromFile("weather_agent.ts")).toBe("weather")
    expect(customAgentTypeFromFile("WeatherAgent.mjs")).toBe("weather")
    expect(customAgentTypeFromFile("weather.mts")).toBe("weather")
    expect(customAgentTypeFromFile("Adder.js")).toBe("adder")
    expect(customAgentTypeFromFile("types.d.ts")).toBeUndefined()
    expect(customAgentTypeFromFile("README.md")).toBeUndefined()
  })
})
