import { describe, expect, it } from "vitest"
import { fill, hasPlaceholders } from "../../src/domain/Template.js"

describe("prompt templates", () => {
  it("fills placeholders from inputs, missing or null as empty text", () => {
    expect(fill("Hello {name}, {missing}{nothing}!", { name: "Ada", nothing: null })).toBe("Hello Ada, !")
  })
  it("renders objects as JSON and keeps non-name braces and escaped braces", () => {
    expect(fill('{obj} {"k": 1} {{name}}', { obj: { a: 1 }, name: "x" })).toBe('{"a":1} {"k": 1} {name}')
  })
  it("detects placeholders", () => {
    expect(hasPlaceholders("All done")).toBe(false)
    expect(hasPlaceholders("{a}{b}")).toBe(true)
    expect(hasPlaceholders('{"a": 1}')).toBe(false)
  })
})
