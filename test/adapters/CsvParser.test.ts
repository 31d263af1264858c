import { describe, expect, it } from "vitest"
import { parseContext } from "../../src/adapters/csv/ContextParser.js"
import { parseWorkflowCsv } from "../../src/adapters/csv/CsvParser.js"

describe("CSV reading", () => {
  it("skips comment rows and blank lines and keeps true line numbers across quoted newlines", () => {
    const text = [
      "GraphName,Node,Prompt",
      "# a comment row, with a comma",
      "",
      'G,A,"line one',
      'line two"',
      "  ,  ,  ",
      'G,B,"say ""hi"""',
      "G,C,##NOLLM inside a cell is not a comment"
    ].join("\n")
    const csv = parseWorkflowCsv("f.csv", text)
    expect(csv.diagnostics).toEqual([])
    expect(csv.rows.map((r) => [r.line, r.values.Node, r.values.Prompt])).toEqual([
      [4, "A", "line one\nline two"],
      [7, "B", 'say "hi"'],
      [8, "C", "##NOLLM inside a cell is not a comment"]
    ])
  })

  it("trims cells and reports short and long rows", () => {
    const csv = parseWorkflowCsv("f.csv", "GraphName,Node,Prompt\n G , A \nG,B,p,extra\n")
    expect([csv.rows[0]!.values.Node, csv.rows[0]!.columns.Node]).toEqual(["A", 2])
    expect(csv.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(["2:3 short-row", "3:4 long-row"])
  })

  it("keeps true line numbers across a CRLF inside a quoted cell", () => {
    const csv = parseWorkflowCsv("f.csv", 'GraphName,Node,Prompt\r\nG,A,"two\r\nlines"\r\nG,B,x\r\n')
    expect(csv.rows.map((r) => [r.line, r.values.Node, r.values.Prompt])).toEqual([
      [2, "A", "two\nlines"],
      [4, "B", "x"]
    ])
  })

  it("reports malformed quoting as a positioned syntax error", () => {
    const csv = parseWorkflowCsv("f.csv", 'GraphName,Node\nG,"unterminated\n')
    expect(csv.diagnostics).toHaveLength(1)
    expect(csv.diagnostics[0]!.code).toBe("csv-syntax")
    expect(csv.diagnostics[0]!.severity).toBe("error")
  })
})

describe("Context cells", () => {
  it("reads JSON, Python dict literals, YAML flow mappings, key=value and raw text", () => {
    expect(parseContext('{"temperature": 0.7}').value).toEqual({ temperature: 0.7 })
    expect(parseContext("{'k': 'v', 'n': 0.2, 'b': True, 'x': None, 'l': false}").value).toEqual({ k: "v", n: 0.2, b: true, x: null, l: false })
    expect(parseContext('{llm_provider: "anthropic", send: true}').value).toEqual({ llm_provider: "anthropic", send: true })
    expect(parseContext("{workflow=::Inner}").value).toEqual({ workflow: "::Inner" })
    expect(parseContext("{workflow=other.csv::Inner, x=1}").value).toEqual({ workflow: "other.csv::Inner", x: "1" })
    expect(parseContext("general").value).toEqual({ context: "general" })
    expect(parseContext("").value).toEqual({})
  })
  it("keeps text that looks like a mapping but is not one, and says so", () => {
    const parsed = parseContext("{oops: [}")
    expect(parsed.value).toEqual({ context: "{oops: [}" })
    expect(parsed.problem).toContain("neither JSON nor a dict literal")
  })
})
