import { describe, expect, it } from "vitest"
import { parseContext } from "../../src/adapters/csv/ContextParser.js"
import { parseWorkflowCsv } from "../../src/adapters/csv/CsvParser.js"
import { format } from "../../src/domain/Diagnostic.js"

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
})

/** The one diagnostic a malformed file gets, as the user sees it. */
const syntax = (text: string) => parseWorkflowCsv("quote.csv", text).diagnostics.map(format)

describe("CSV syntax errors point at the cell to fix", () => {
  const HEADER = "GraphName,Node,AgentType,Edge,Prompt"

  it("reports a quote that never closes on the row where it opens, not at the end of the file", () => {
    expect(syntax([HEADER, "G,A,echo,B,hi", 'G,B,echo,C,"never closed', "G,C,echo,,x", "G,D,echo,,y"].join("\n"))).toEqual([
      `quote.csv:3:5: error: a quote opened in field 5 (Prompt) on line 3 is never closed; check for a missing closing " or a stray " inside the cell (write "" for a literal quote)`
    ])
  })

  it("reports one on the last row at that row, past blank and comment lines, with the header's name for the column", () => {
    const text = ["graph_name,node_name,Prompt,agent_type", "G,A,hi,echo", "", "# the last one", "", 'G,B,"oops,echo'].join("\n")
    expect(syntax(text)).toEqual([
      `quote.csv:6:3: error: a quote opened in field 3 (Prompt) on line 6 is never closed; check for a missing closing " or a stray " inside the cell (write "" for a literal quote)`
    ])
  })

  it("reports a quote inside a cell that is not quoted, at that cell", () => {
    expect(syntax([HEADER, "G,A,echo,B,hi", 'G,B,echo,,say "hi" now'].join("\n"))).toEqual([
      `quote.csv:3:5: error: field 5 (Prompt) on line 3 has a " inside a cell that does not start with one; quote the whole cell and write "" for each literal quote (e.g. "say ""hi""")`
    ])
  })

  it("reports a quoted cell closed early, where it opens, naming the line it ran to", () => {
    expect(syntax([HEADER, "G,A,echo,B,hi", 'G,B,echo,,"say "hi" now"'].join("\n"))).toEqual([
      `quote.csv:3:5: error: the quoted cell in field 5 (Prompt) on line 3 has a " followed by 'h' before the cell ends; write "" for a literal quote inside a quoted cell`
    ])
    // the unclosed quote on line 3 swallows the rows below it up to the next quote
    expect(syntax([HEADER, "G,A,echo,B,hi", 'G,B,echo,,"unclosed', "", 'G,C,echo,,"fine"'].join("\n"))).toEqual([
      `quote.csv:3:5: error: the quoted cell in field 5 (Prompt) that opens on line 3 ends at a " on line 5 followed by 'f'; check for a missing closing " or a stray " inside the cell (write "" for a literal quote)`
    ])
  })

  it("reports a bad quote in the header at its field, without a column name", () => {
    expect(syntax('GraphName,"Node,Prompt\nG,A,x\n')).toEqual([
      `quote.csv:1:2: error: a quote opened in field 2 on line 1 is never closed; check for a missing closing " or a stray " inside the cell (write "" for a literal quote)`
    ])
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
