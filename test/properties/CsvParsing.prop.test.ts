import * as fs from "node:fs"
import * as path from "node:path"
import fc from "fast-check"
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { parseWorkflowCsv } from "../../src/adapters/csv/CsvParser.js"
import type { Diagnostic } from "../../src/domain/Diagnostic.js"
import { validateRows } from "../../src/domain/Validation.js"
import { WorkflowService } from "../../src/application/WorkflowService.js"
import { appLayer, workspace } from "../support/workspace.js"
import { numRuns } from "./runs.js"

const COLUMNS = ["GraphName", "Node", "AgentType", "Prompt", "Description", "Context", "Input_Fields", "Output_Field", "Edge", "Success_Next", "Failure_Next", "graph", "name", "Tools", "Extra"]
const TYPES = ["echo", "default", "", "success", "failure", "branching", "input", "summary", "graph", "suspend", "human", "llm", "EchoAgent", "ehco", "csv_reader"]
const cell = fc.oneof(
  fc.constantFrom("A", "B", "C", "G", "H", "x", "a|b", "A|B", "func:route", "{'k': True}", '{"workflow": "::H"}', "{workflow=::H}", "prompt:nope", "file:x.txt", "#note", " ", ""),
  fc.constantFrom(...TYPES),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('"', ",", "\n", "\r\n", "|", "#", " ", "a", "{", "}", ":", "'"), maxLength: 10 })
)
const quote = (c: string) => (/[",\n\r]/.test(c) || c.startsWith(" ") ? `"${c.replace(/"/g, '""')}"` : c)

/** A CSV shaped like a workflow: a header of known, aliased and unknown columns, then rows of odd cells. */
const workflowCsv = fc
  .tuple(fc.shuffledSubarray(COLUMNS, { minLength: 1 }), fc.array(fc.array(cell, { maxLength: 16 }), { maxLength: 8 }), fc.boolean())
  .map(([header, rows, casing]) => [header.map((h) => (casing ? h.toLowerCase() : h)), ...rows].map((r) => r.map(quote).join(",")).join("\n"))

/** The same, damaged: a slice cut out, a quote dropped in, a line doubled, bytes swapped for junk. */
const mutated = fc.tuple(workflowCsv, fc.nat(), fc.nat(), fc.constantFrom("cut", "quote", "double", "junk", "bom", "none")).map(([text, a, b, how]) => {
  const i = text.length === 0 ? 0 : a % text.length
  const j = text.length === 0 ? 0 : b % text.length
  switch (how) {
    case "cut":
      return text.slice(0, Math.min(i, j)) + text.slice(Math.max(i, j))
    case "quote":
      return `${text.slice(0, i)}"${text.slice(i)}`
    case "double": {
      const lines = text.split("\n")
      return [...lines, lines[i % Math.max(1, lines.length)] ?? ""].join("\n")
    }
    case "junk":
      return `${text.slice(0, i)}\u0000\ufffd\u202e${text.slice(i)}`
    case "bom":
      return `\ufeff${text}`
    default:
      return text
  }
})

const positioned = (text: string, diagnostics: ReadonlyArray<Diagnostic>) => {
  const lines = text.split(/\r\n|\n|\r/).length
  for (const d of diagnostics) {
    expect(d.file).toBe("fuzz.csv")
    expect(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines + 1).toBe(true)
    expect(Number.isInteger(d.column) && d.column >= 1).toBe(true)
    expect(["error", "warning"]).toContain(d.severity)
    expect(d.code).toMatch(/^[a-z][a-z-]*$/)
    expect(d.message.trim().length).toBeGreaterThan(5)
  }
}

describe("property: any CSV text goes through the parser and the validator", () => {
  it("never throws, and every diagnostic names the file, a line of it, a column, a code and a message", () => {
    fc.assert(
      fc.property(fc.oneof(workflowCsv, mutated, fc.string({ maxLength: 200 })), (text) => {
        const parsed = parseWorkflowCsv("fuzz.csv", text)
        positioned(text, parsed.diagnostics)
        const validated = validateRows(parsed)
        positioned(text, validated.diagnostics)
      }),
      { numRuns: numRuns(400) }
    )
  }, 600_000)

  it("agentmap validate (the whole pipeline: subgraphs, prompts, functions) answers with a report or a typed error", async () => {
    const dir = workspace({ "functions/route.ts": "export const route = () => 'A'\n", "agentmap_config.yaml": "paths:\n  functions: functions\n" })
    const layer = appLayer(dir)
    await fc.assert(
      fc.asyncProperty(fc.oneof(workflowCsv, mutated), async (text) => {
        const file = path.join(dir, "fuzz.csv")
        fs.writeFileSync(file, text)
        const outcome = await Effect.runPromise(Effect.either(Effect.flatMap(WorkflowService, (s) => s.validate({ workflow: file }))).pipe(Effect.provide(layer)))
        if (Either.isLeft(outcome)) expect(outcome.left._tag).toMatch(/^(InvalidWorkflow|GraphNotFound|InvalidRequest)$/)
        else {
          expect(outcome.right.valid).toBe(!outcome.right.diagnostics.some((d) => d.severity === "error"))
          for (const d of outcome.right.diagnostics) {
            expect(d.line).toBeGreaterThanOrEqual(1)
            expect(d.column).toBeGreaterThanOrEqual(1)
            expect(d.file).toContain(".csv")
          }
        }
      }),
      { numRuns: numRuns(60) }
    )
  }, 600_000)
})
