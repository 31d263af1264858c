// Bundles the entry points with esbuild into dist/ (run by `npm install` through `prepare`).
// One file per door loads faster than hundreds of ESM modules (see bench/ for the numbers).
import { build } from "esbuild"
import { rmSync } from "node:fs"

const started = Date.now()
rmSync("dist", { recursive: true, force: true })

const result = await build({
  entryPoints: { cli: "src/main/cli.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: "linked",
  metafile: true,
  legalComments: "none",
  // native addons and the compiler used at run time for TypeScript routing functions stay outside
  external: ["better-sqlite3", "esbuild", "pg-native"],
  banner: {
    js: "import { createRequire as __agentmapRequire } from 'node:module'; const require = __agentmapRequire(import.meta.url);"
  },
  logLevel: "warning"
})

const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith(".mjs"))
  .reduce((n, [, o]) => n + o.bytes, 0)
console.log(`agentmap: built dist/ (${(bytes / 1024).toFixed(0)} KiB of JavaScript) in ${Date.now() - started} ms`)
