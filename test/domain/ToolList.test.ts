import { describe, expect, it } from "vitest"
import { isPythonReference, parseAvailableTools, parseToolSource } from "../../src/domain/ToolList.js"

describe("Available_Tools", () => {
  it("reads names with and without inline descriptions, split on | or ,", () => {
    expect(parseAvailableTools(`add("adds numbers")|multiply("multiplies numbers"), reverse`)).toEqual({
      _tag: "Ok",
      tools: [
        { name: "add", description: "adds numbers" },
        { name: "multiply", description: "multiplies numbers" },
        { name: "reverse", description: undefined }
      ]
    })
  })
  it("keeps separators inside a description", () => {
    expect(parseAvailableTools(`split("splits a|b, c")`)).toEqual({ _tag: "Ok", tools: [{ name: "split", description: "splits a|b, c" }] })
  })
  it("accepts * and an empty cell", () => {
    expect(parseAvailableTools("*")).toEqual({ _tag: "Ok", tools: [{ name: "*", description: undefined }] })
    expect(parseAvailableTools("  ")).toEqual({ _tag: "Ok", tools: [] })
  })
  it("names the entry that is not a tool name", () => {
    expect(parseAvailableTools("add|two words")).toEqual({ _tag: "Invalid", message: "'two words' is not a tool name" })
    expect(parseAvailableTools(`add("open`)).toMatchObject({ _tag: "Invalid" })
  })
})

describe("Tool_Source", () => {
  it("tells modules from MCP servers", () => {
    expect(parseToolSource("")).toEqual({ _tag: "None" })
    expect(parseToolSource("mcp:files")).toEqual({ _tag: "Mcp", server: "files" })
    expect(parseToolSource("examples/tools/calculator_tools.py")).toEqual({ _tag: "Module", path: "examples/tools/calculator_tools.py" })
    expect(isPythonReference("examples/tools/calculator_tools.py")).toBe(true)
    expect(isPythonReference("custom_tools/math.ts")).toBe(false)
  })
})
