import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as TimeOrderedThreadIds from "../../src/adapters/ids/TimeOrderedThreadIds.js"
import { ThreadIds } from "../../src/ports/ThreadIds.js"

describe("thread ids", () => {
  it("are UUIDs that sort in the order the runs started (new rows go at the end of the stores' indexes), and never repeat", async () => {
    const ids = await Effect.runPromise(
      Effect.flatMap(ThreadIds, (t) => Effect.replicateEffect(t.next, 2000)).pipe(Effect.provide(TimeOrderedThreadIds.layer))
    )
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
    // the time comes first: an id made a moment later sorts after every id made before it
    await new Promise((resolve) => setTimeout(resolve, 2))
    expect(TimeOrderedThreadIds.next() > ids.at(-1)!).toBe(true)
  })
})
