import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { agentmap, agentmapAsync, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"

/** A workflow with a routing function and a custom agent, plus a second routing function used by nobody. */
const project = (extra: Record<string, string> = {}) =>
  workspace({
    "workflows/route.csv": ["GraphName,Node,AgentType,Input_Fields,Output_Field,Edge", "Flow,A,echo,v0,v1,func:pick", "Flow,B,shout,v1,v2,"].join("\n"),
    "functions/pick.ts": `export default function pick(state: Record<string, unknown>, success: string) {\n  return "B"\n}\n`,
    "functions/other.ts": `export default function other(state: Record<string, unknown>, success: string) {\n  return success\n}\n`,
    "custom_agents/shout.ts": `import { defineAgent } from "agentmap"\nexport default defineAgent({ run: (ctx) => String(ctx.inputs["v1"]).toUpperCase() })\n`,
    ...extra
  })

interface Report {
  ok: boolean
  rebuilt: Array<string>
  current: Array<string>
  failed: Array<{ file: string; line?: number; column?: number; message: string }>
  removed: Array<string>
  cache: { bytes: number; entries: number; maxBytes: number; hits: number; misses: number }
}

const refresh = (dir: string, args: ReadonlyArray<string>, env?: Record<string, string>) => {
  const r = agentmap(["refresh", ...args, "--json"], { cwd: dir, ...(env !== undefined ? { env } : {}) })
  return { status: r.status, report: json(r) as unknown as Report, stderr: r.stderr }
}

const names = (files: ReadonlyArray<string>) => files.map((f) => path.basename(f)).sort()

describe("agentmap refresh and the compile cache", () => {
  it("refresh --all twice rebuilds nothing the second time; a changed routing function is rebuilt alone and its old entry removed", () => {
    const dir = project()
    const first = refresh(dir, ["--all"])
    expect(first.status).toBe(0)
    expect(names(first.report.rebuilt)).toEqual(["other.ts", "pick.ts", "shout.ts"])
    expect(first.report.cache.entries).toBe(3)

    const second = refresh(dir, ["--all"])
    expect(second.status).toBe(0)
    expect(second.report.rebuilt).toEqual([])
    expect(names(second.report.current)).toEqual(["other.ts", "pick.ts", "shout.ts"])
    expect(second.report.removed).toEqual([])

    fs.writeFileSync(path.join(dir, "functions/pick.ts"), `export default function pick(state: Record<string, unknown>, success: string) {\n  return ["B"][0]\n}\n`)
    const third = refresh(dir, ["--all"])
    expect(third.status).toBe(0)
    expect(names(third.report.rebuilt)).toEqual(["pick.ts"])
    expect(names(third.report.current)).toEqual(["other.ts", "shout.ts"])
    expect(names(third.report.removed)).toEqual(["pick.ts"])
    expect(third.report.cache.entries).toBe(3)

    // and the run uses the cache: the workflow still routes A → B through pick
    const run = agentmap(["run", "workflows/route.csv", "--state", `{"v0":"hi"}`, "--json"], { cwd: dir })
    expect(run.status).toBe(0)
    expect((json(run) as { outputs: Record<string, unknown> }).outputs).toMatchObject({ v2: "HI" })
  })

  it("never uses an entry written by another AgentMap version, and removes it", () => {
    const dir = project()
    expect(refresh(dir, ["--all"], { AGENTMAP_CACHE_VERSION_KEY: "0.0.0-another-version" }).report.rebuilt).toHaveLength(3)
    const mine = refresh(dir, ["--all"])
    expect(names(mine.report.rebuilt)).toEqual(["other.ts", "pick.ts", "shout.ts"])
    expect(mine.report.current).toEqual([])
    expect(names(mine.report.removed)).toEqual(["other.ts", "pick.ts", "shout.ts"])
    expect(mine.report.cache.entries).toBe(3)
  })

  it("refresh WORKFLOW rebuilds only what the workflow uses; a module that does not compile is reported at its line, exit 2", () => {
    const dir = project()
    const one = refresh(dir, ["workflows/route.csv"])
    expect(one.status).toBe(0)
    expect(names(one.report.rebuilt)).toEqual(["pick.ts", "shout.ts"])

    fs.writeFileSync(path.join(dir, "functions/pick.ts"), `export default function pick(state: Record<string, unknown>) {\n  return (\n`)
    const broken = refresh(dir, ["--csv", "workflows/route.csv"])
    expect(broken.status).toBe(2)
    expect(broken.report.ok).toBe(false)
    expect(broken.report.failed).toHaveLength(1)
    expect(broken.report.failed[0]).toMatchObject({ file: path.join(dir, "functions/pick.ts"), line: 3 })

    const pretty = agentmap(["refresh", "workflows/route.csv"], { cwd: dir })
    expect(pretty.status).toBe(2)
    expect(pretty.stdout).toMatch(/functions\/pick\.ts:3:\d+: /)
  })

  it("exit 3 for a workflow not found, exit 2 without WORKFLOW or --all; update-bundle is the same command", () => {
    const dir = project()
    expect(agentmap(["refresh", "nope"], { cwd: dir }).status).toBe(3)
    const missing = agentmap(["refresh"], { cwd: dir })
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain("--all")
    const alias = agentmap(["update-bundle", "--all", "--json"], { cwd: dir })
    expect(alias.status).toBe(0)
    expect((json(alias) as unknown as Report).rebuilt).toHaveLength(3)
  })

  it("--dry-run writes nothing", () => {
    const dir = project()
    const dry = refresh(dir, ["--all", "--dry-run"])
    expect(dry.status).toBe(0)
    expect(dry.report.rebuilt).toHaveLength(3)
    expect(fs.existsSync(path.join(dir, ".agentmap", "functions"))).toBe(false)
    expect(fs.existsSync(path.join(dir, ".agentmap", "modules"))).toBe(false)
    // one workflow too, although checking it loads the custom agent it uses
    const one = refresh(dir, ["workflows/route.csv", "--dry-run"])
    expect(names(one.report.rebuilt)).toEqual(["pick.ts", "shout.ts"])
    expect(fs.existsSync(path.join(dir, ".agentmap", "functions"))).toBe(false)
    expect(fs.existsSync(path.join(dir, ".agentmap", "modules"))).toBe(false)
    expect(refresh(dir, ["--all"]).report.rebuilt).toHaveLength(3)
  })

  it("keeps the cache under cache.max_bytes by evicting the least recently used entries", () => {
    // each entry is a few hundred bytes to ~1 KiB: a 2,500-byte bound holds some of twelve, never all
    const functions = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`functions/f${i}.ts`, `export default function f${i}(state: Record<string, unknown>, s: string) {\n  return "${"x".repeat(200)}" + s\n}\n`])
    )
    const dir = project({ ...functions, "agentmap_config.yaml": "cache:\n  max_bytes: 2500\n" })
    const r = refresh(dir, ["--all"])
    expect(r.status).toBe(0)
    expect(r.report.cache.maxBytes).toBe(2500)
    expect(r.report.cache.bytes).toBeLessThanOrEqual(2500)
    expect(r.report.cache.entries).toBeGreaterThan(0)
    expect(r.report.cache.entries).toBeLessThan(15)
    const onDisk = ["functions", "modules"].flatMap((k) => {
      const d = path.join(dir, ".agentmap", k)
      return fs.existsSync(d) ? fs.readdirSync(d).map((f) => fs.statSync(path.join(d, f)).size) : []
    })
    expect(onDisk.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2500)
  })

  it("run --force-create rebuilds the workflow's entries before running", () => {
    const dir = project()
    expect(refresh(dir, ["--all"]).status).toBe(0)
    const manifest = () =>
      fs
        .readdirSync(path.join(dir, ".agentmap", "functions"))
        .filter((f) => f.startsWith("pick.") && f.endsWith(".json"))
        .map((f) => fs.readFileSync(path.join(dir, ".agentmap", "functions", f), "utf8"))
    const before = manifest()
    fs.rmSync(path.join(dir, ".agentmap", "functions"), { recursive: true })
    const run = agentmap(["run", "workflows/route.csv", "--force-create", "--state", `{"v0":"hi"}`, "--json"], { cwd: dir })
    expect(run.status).toBe(0)
    expect(manifest()).toEqual(before)
    expect(refresh(dir, ["workflows/route.csv"]).report.rebuilt).toEqual([])
  })

  it("a tool module beside a CSV (outside the folders) is rebuilt and kept by --all; refresh WORKFLOW leaves other workflows' entries alone", () => {
    const dir = project({
      "workflows/tools.csv": ["GraphName,Node,AgentType,Tool_Source,Available_Tools,Input_Fields,Output_Field", "T,Slug,tool,local_tools/text.ts,slugify,title,slug"].join("\n"),
      "workflows/local_tools/text.ts": [
        `import { defineTool } from "agentmap"`,
        `import { z } from "zod"`,
        `export const slugify = defineTool({ name: "slugify", description: "a slug", schema: z.object({ title: z.string() }), run: ({ title }) => title.toLowerCase().replace(/\\s+/g, "-") })`
      ].join("\n")
    })
    const first = refresh(dir, ["--all"])
    expect(first.status).toBe(0)
    expect(names(first.report.rebuilt)).toEqual(["other.ts", "pick.ts", "shout.ts", "text.ts"])
    const second = refresh(dir, ["--all"])
    expect(second.report.rebuilt).toEqual([])
    expect(second.report.removed).toEqual([])
    expect(names(second.report.current)).toContain("text.ts")

    const one = refresh(dir, ["workflows/tools.csv"])
    expect(names(one.report.current)).toEqual(["text.ts"])
    expect(one.report.removed).toEqual([])
    expect(one.report.cache.entries).toBe(4)
  })

  it("two processes refreshing the same cache at once both succeed and leave one whole entry per module", async () => {
    const dir = project()
    const [a, b] = await Promise.all([agentmapAsync(["refresh", "--all", "--json"], { cwd: dir }), agentmapAsync(["refresh", "--all", "--json"], { cwd: dir })])
    expect([a.status, b.status]).toEqual([0, 0])
    const after = refresh(dir, ["--all"])
    expect(after.report.rebuilt).toEqual([])
    expect(after.report.cache.entries).toBe(3)
    const files = ["functions", "modules"].flatMap((k) => fs.readdirSync(path.join(dir, ".agentmap", k)))
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([])
    const run = agentmap(["run", "workflows/route.csv", "--state", `{"v0":"hi"}`, "--json"], { cwd: dir })
    expect(run.status).toBe(0)
  })
})
