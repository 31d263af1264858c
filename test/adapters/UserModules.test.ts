import * as fs from "node:fs"
import * as path from "node:path"
import { Context, Effect, Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { z } from "zod"
import * as ModuleUserModules from "../../src/adapters/modules/ModuleUserModules.js"
import * as AgentMap from "../../src/main/index.js"
import { ModuleLoadError } from "../../src/ports/UserModules.js"
import { workspace } from "../support/workspace.js"

const loader = (dir: string) => ModuleUserModules.make({ cacheDirectory: path.join(dir, ".agentmap", "cache") })
const load = (dir: string, file: string) => Effect.runPromise(loader(dir).load(path.join(dir, file)).pipe(Effect.either))
const loaded = async (dir: string, file: string) => {
  const r = await load(dir, file)
  if (Either.isLeft(r)) throw new Error(`${r.left.file}:${r.left.line}:${r.left.column}: ${r.left.message}`)
  return r.right
}
const failure = async (dir: string, file: string) => {
  const r = await load(dir, file)
  if (Either.isRight(r)) throw new Error(`${file} loaded`)
  return r.left
}

describe("user modules", () => {
  it("compiles TypeScript whose imports of agentmap, effect, effect/* and zod are the running AgentMap's own instances", async () => {
    // a folder with no node_modules of its own
    const dir = workspace({
      "custom_agents/shared.ts": [
        `import { LanguageModels } from "agentmap"`,
        `import { Context, Effect } from "effect"`,
        `import * as S from "effect/Schema"`,
        `import { z } from "zod"`,
        `const n: number = 41`,
        `export const models = LanguageModels`,
        `export const program = Effect.succeed(n + 1)`,
        `export const schema = S.Struct({ a: S.Number })`,
        `export const zodSchema = z.object({ a: z.number() })`,
        `export const Tag = Context.GenericTag<{ readonly x: number }>("test/Shared")`
      ].join("\n")
    })
    const ns = await loaded(dir, "custom_agents/shared.ts")
    expect(ns["models"]).toBe(AgentMap.LanguageModels)
    expect(Effect.isEffect(ns["program"])).toBe(true)
    expect(Effect.runSync(ns["program"] as Effect.Effect<number>)).toBe(42)
    expect(Schema.isSchema(ns["schema"])).toBe(true)
    expect(ns["zodSchema"]).toBeInstanceOf(z.ZodType)
    const Tag = ns["Tag"] as Context.Tag<{ readonly x: number }, { readonly x: number }>
    expect(Effect.runSync(Effect.provideService(Effect.map(Tag, (s) => s.x), Tag, { x: 7 }))).toBe(7)
  })

  it("loads a plain .mjs module with no imports, and .js modules that import agentmap", async () => {
    const dir = workspace({
      "a.mjs": `export default { run: () => "plain" }`,
      "b.js": `import { LanguageModels } from "agentmap"\nexport default LanguageModels`
    })
    const a = await loaded(dir, "a.mjs")
    expect((a["default"] as { run: () => string }).run()).toBe("plain")
    expect((await loaded(dir, "b.js"))["default"]).toBe(AgentMap.LanguageModels)
  })

  it("resolves other packages from the module's own workspace, bundles local imports, and compiles once", async () => {
    const dir = workspace({
      "node_modules/left-pad-lite/package.json": JSON.stringify({ name: "left-pad-lite", version: "1.0.0", type: "module", exports: "./index.js" }),
      "node_modules/left-pad-lite/index.js": `export const pad = (s, n) => s.padStart(n, "*")`,
      "mods/uses.ts": `import { pad } from "left-pad-lite"\nimport { suffix } from "./helper.js"\nexport default pad("x", 3) + suffix`,
      "mods/helper.ts": `export const suffix: string = "!"`
    })
    expect((await loaded(dir, "mods/uses.ts"))["default"]).toBe("**x!")
    const cache = path.join(dir, ".agentmap", "cache", "modules")
    const compiled = fs.readdirSync(cache).filter((f) => f.endsWith(".mjs"))
    expect(compiled).toHaveLength(1)
    // a second process (a new loader) finds the compiled copy: nothing new in the cache
    expect((await loaded(dir, "mods/uses.ts"))["default"]).toBe("**x!")
    expect(fs.readdirSync(cache).filter((f) => f.endsWith(".mjs"))).toEqual(compiled)
    // a changed local import is noticed although the module itself did not change
    fs.writeFileSync(path.join(dir, "mods/helper.ts"), `export const suffix: string = "?"`)
    expect((await loaded(dir, "mods/uses.ts"))["default"]).toBe("**x?")
  })

  it("reports a syntax error at the module's own line and column", async () => {
    const dir = workspace({ "bad.ts": `export const a = 1\n\nexport const b = (2 +\n` })
    const e = await failure(dir, "bad.ts")
    expect(e).toBeInstanceOf(ModuleLoadError)
    expect(e.file).toBe(path.join(dir, "bad.ts"))
    expect(e.line).toBe(4)
    expect(e.message).toMatch(/Unexpected end of file|Expected/)
  })

  it("reports an unresolvable import at its line", async () => {
    const dir = workspace({ "missing.ts": `const x = 1\nimport { y } from "no-such-package-anywhere"\nexport default x + y` })
    const e = await failure(dir, "missing.ts")
    expect(e.line).toBe(2)
    expect(e.column).toBe(19)
    expect(e.message).toContain("no-such-package-anywhere")
  })

  it("reports a module that throws when imported, with the line of the throw in its source", async () => {
    const dir = workspace({ "throws.ts": `type T = { a: number }\nconst t: T = { a: 1 }\n\nif (t.a === 1) throw new Error("no database configured")\nexport default t` })
    const e = await failure(dir, "throws.ts")
    expect(e.file).toBe(path.join(dir, "throws.ts"))
    expect(e.line).toBe(4)
    expect(e.message).toContain("no database configured")
    // fixed: loads on the next try
    fs.writeFileSync(path.join(dir, "throws.ts"), `export default 1`)
    expect((await loaded(dir, "throws.ts"))["default"]).toBe(1)
  })

  it("fingerprints a module by its source's sha256, and a missing one as undefined", async () => {
    const dir = workspace({ "m.ts": `export default 1` })
    const l = loader(dir)
    const a = await Effect.runPromise(l.fingerprint(path.join(dir, "m.ts")))
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    fs.writeFileSync(path.join(dir, "m.ts"), `export default 2`)
    expect(await Effect.runPromise(l.fingerprint(path.join(dir, "m.ts")))).not.toBe(a)
    expect(await Effect.runPromise(l.fingerprint(path.join(dir, "none.ts")))).toBeUndefined()
    expect((await failure(dir, "none.ts")).message).toContain("no such file")
  })
})
