import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { ROOT } from "./support/cli.js"

const build = () => spawnSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8", timeout: 120_000 })

describe("npm run build", () => {
  it("builds nothing when nothing it reads changed, and records what it built", () => {
    // npm test has just built: this finds dist/ up to date (were it not, the first call builds)
    build()
    const again = build()
    expect(again.status).toBe(0)
    expect(again.stdout).toContain("dist/ is up to date (sources unchanged; `npm run build -- --force` rebuilds)")
    const stamp = JSON.parse(fs.readFileSync(path.join(ROOT, "dist", ".build.json"), "utf8")) as { hash: string; files: Array<string> }
    expect(stamp.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(stamp.files).toEqual(expect.arrayContaining(["cli.cjs", "cli.cjs.cache", "index.mjs", "types/main/index.d.ts", "swagger-ui/swagger-ui-bundle.js"]))
    for (const f of stamp.files) expect(fs.existsSync(path.join(ROOT, "dist", f)), f).toBe(true)
    // no build folder is left behind
    expect(fs.readdirSync(path.join(ROOT, "dist")).filter((f) => f.startsWith(".next-"))).toEqual([])
  })
})
