import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as FileCompileCache from "../../src/adapters/cache/FileCompileCache.js"
import { compileModule } from "../../src/adapters/modules/ModuleCompiler.js"
import { workspace } from "../support/workspace.js"

const fn = (name: string) => `export default function ${name}(state: Record<string, unknown>, s: string) {\n  return "${name}:" + s\n}\n`

const cacheOf = (dir: string, maxBytes: number) =>
  FileCompileCache.make({
    directory: path.join(dir, ".agentmap"),
    maxBytes,
    functions: path.join(dir, "functions"),
    customAgents: path.join(dir, "custom_agents"),
    customTools: path.join(dir, "custom_tools"),
    hostServices: path.join(dir, "host_services")
  })

const manifests = (dir: string) => fs.readdirSync(path.join(dir, ".agentmap", "functions")).filter((f) => f.endsWith(".json"))

describe("the compile cache", () => {
  it("counts hits and misses, and evicts the least recently used entry first", async () => {
    const dir = workspace({ "functions/a.ts": fn("a"), "functions/b.ts": fn("b"), "functions/c.ts": fn("c"), "functions/d.ts": fn("d") })
    const cache = cacheOf(dir, 1024 * 1024)
    const directory = path.join(dir, ".agentmap")
    const file = (n: string) => path.join(dir, "functions", `${n}.ts`)
    for (const n of ["a", "b", "c"]) await compileModule(file(n), directory, "functions")
    const before = await Effect.runPromise(cache.stats)
    expect(before).toMatchObject({ entries: 3, hits: 0, misses: 3 })
    // b was used longest ago; a is used again now (a hit marks it used)
    const ago = (s: number) => new Date(Date.now() - s * 1000)
    const manifestOf = (n: string) => path.join(directory, "functions", manifests(dir).find((m) => m.startsWith(`${n}.`))!)
    fs.utimesSync(manifestOf("a"), ago(30), ago(30))
    fs.utimesSync(manifestOf("b"), ago(20), ago(20))
    fs.utimesSync(manifestOf("c"), ago(10), ago(10))
    expect((await compileModule(file("a"), directory, "functions")).rebuilt).toBe(false)
    expect(await Effect.runPromise(cache.stats)).toMatchObject({ hits: 1, misses: 3 })

    // bounded to what three entries take: adding d evicts b (least recently used), never a (just used) or d
    const bounded = cacheOf(dir, before.bytes)
    await compileModule(file("d"), directory, "functions")
    const after = await Effect.runPromise(bounded.stats)
    expect(after.bytes).toBeLessThanOrEqual(before.bytes)
    const left = manifests(dir).map((m) => m.split(".")[0]).sort()
    expect(left).toContain("a")
    expect(left).toContain("d")
    expect(left).not.toContain("b")
    // an evicted entry is compiled again when next needed
    expect((await compileModule(file("b"), directory, "functions")).rebuilt).toBe(true)
  })

  it("two compiles of the same module at once leave one whole entry and no temp files (atomic renames)", async () => {
    const dir = workspace({ "functions/a.ts": fn("a") })
    const directory = path.join(dir, ".agentmap")
    const file = path.join(dir, "functions", "a.ts")
    const results = await Promise.all([compileModule(file, directory, "functions", { force: true }), compileModule(file, directory, "functions", { force: true })])
    expect(results[0].file).toBe(results[1].file)
    expect(manifests(dir)).toHaveLength(1)
    expect(fs.readdirSync(path.join(directory, "functions")).filter((f) => f.endsWith(".tmp"))).toEqual([])
    expect(await Effect.runPromise(cacheOf(dir, 1024 * 1024).isCurrent({ file, kind: "function" }))).toBe(true)
  })
})
