import { describe, expect, it } from "vitest"
import { argumentsFromInputs, coerce } from "../../src/domain/ToolArguments.js"

const schema = { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] } as const

describe("tool arguments from a node's inputs", () => {
  it("take inputs by name first, then the inputs left over by position", () => {
    expect(argumentsFromInputs(schema, [["b", 2], ["a", 1]])).toEqual({ a: 1, b: 2 })
    expect(argumentsFromInputs(schema, [["x", 5], ["y", 7]])).toEqual({ a: 5, b: 7 })
    expect(argumentsFromInputs(schema, [["y", 7], ["a", 1]])).toEqual({ a: 1, b: 7 })
  })

  it("leave a parameter unset when no input is left for it (the schema then names it)", () => {
    expect(argumentsFromInputs(schema, [["number", 3]])).toEqual({ a: 3 })
  })

  it("make text fit the declared type only where that is unambiguous", () => {
    expect(argumentsFromInputs(schema, [["a", "3"], ["b", " 4.5 "]])).toEqual({ a: 3, b: 4.5 })
    expect(coerce("abc", { type: "number" })).toBe("abc")
    expect(coerce("true", { type: "boolean" })).toBe(true)
    expect(coerce("[1,2]", { type: "array" })).toEqual([1, 2])
    expect(coerce(12, { type: "string" })).toBe("12")
    expect(coerce("12", { type: "string" })).toBe("12")
    expect(coerce("7", { anyOf: [{ type: "integer" }, { type: "null" }] })).toBe(7)
  })

  it("pass the inputs by name to a tool that declares no parameters", () => {
    expect(argumentsFromInputs({ type: "object" }, [["q", "hi"], ["n", undefined]])).toEqual({ q: "hi" })
  })
})
