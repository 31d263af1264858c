import { describe, expect, it } from "vitest"
import { decideTakeover, jsonEquals } from "../../src/domain/Takeover.js"
import type { ThreadRecord } from "../../src/domain/Thread.js"

const NOW = 1_000_000
const thread = (overrides: Partial<ThreadRecord> = {}): ThreadRecord => ({
  thread_id: "T",
  workflow: "flow.csv",
  graph: "G",
  csv_hash: "abc",
  snapshot: { files: {}, resolutions: {}, functions: {} },
  input: { doc: "Q3", tags: ["a", "b"] },
  status: "running",
  interrupt: null,
  principal: "ci",
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
  lease_owner: "dead-process",
  lease_expires_at: NOW - 1,
  result: null,
  ...overrides
})
const wanted = thread({ input: { tags: ["a", "b"], doc: "Q3" }, lease_owner: "me", lease_expires_at: NOW + 30_000 })

describe("a run asked for under a taken thread id", () => {
  it("takes over the same run when its process died (lease expired), whatever the order of the state's keys", () => {
    expect(decideTakeover(thread(), wanted, NOW)).toEqual({ _tag: "TakeOver" })
  })

  it("is busy while the same run still holds a live lease", () => {
    expect(decideTakeover(thread({ lease_expires_at: NOW + 1 }), wanted, NOW)).toMatchObject({ _tag: "Busy", message: expect.stringContaining("once its lease has run out") })
  })

  it("is a taken id for another workflow, graph, state or principal, and for a changed CSV", () => {
    for (const other of [{ workflow: "other.csv" }, { graph: "H" }, { input: { doc: "Q4", tags: ["a", "b"] } }, { principal: "someone" }])
      expect(decideTakeover(thread(other), wanted, NOW)).toMatchObject({ _tag: "Taken", message: expect.stringContaining("already taken by another run") })
    expect(decideTakeover(thread({ csv_hash: "old" }), wanted, NOW)).toMatchObject({ _tag: "Taken", message: expect.stringContaining("resume it to finish the version it started with") })
  })

  it("says what to do instead for a suspended or finished thread", () => {
    const suspended = thread({ status: "suspended", interrupt: { id: "i", node: "Ask", type: "human", payload: {} } })
    expect(decideTakeover(suspended, wanted, NOW)).toMatchObject({ _tag: "Taken", message: expect.stringContaining("waits at node 'Ask'; resume it") })
    expect(decideTakeover(thread({ status: "completed" }), wanted, NOW)).toMatchObject({ _tag: "Taken", message: expect.stringContaining("already ran this workflow and completed") })
  })
})

describe("jsonEquals", () => {
  it("compares JSON values as stored: key order and undefined values do not matter, everything else does", () => {
    expect(jsonEquals({ a: 1, b: { c: [1, null] } }, { b: { c: [1, null] }, a: 1 })).toBe(true)
    expect(jsonEquals({ a: 1, gone: undefined }, { a: 1 })).toBe(true)
    expect(jsonEquals({ a: 1 }, { a: "1" })).toBe(false)
    expect(jsonEquals([1, 2], [2, 1])).toBe(false)
    expect(jsonEquals({ a: [] }, { a: {} })).toBe(false)
    expect(jsonEquals(null, {})).toBe(false)
  })
})
