// Bundles the CLI with esbuild into dist/ (run by `npm install` through `prepare`), then warms
// a V8 code cache for it. One CommonJS file plus its code cache starts far faster than hundreds
// of ESM modules compiled from source on every run (bench/cold-start.mjs measures it).
import { build } from "esbuild"
import { spawnSync } from "node:child_process"
import { rmSync } from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const started = Date.now()
rmSync(path.join(root, "dist"), { recursive: true, force: true })

const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/main/cli.ts" },
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: "linked",
  metafile: true,
  legalComments: "none",
  // native addons and the compiler used at run time for TypeScript routing functions stay outside
  external: ["better-sqlite3", "esbuild", "pg-native"],
  define: { "import.meta.url": "__agentmap_import_meta_url" },
  banner: { js: "var __agentmap_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: "warning"
})

// The library (`import ... from "agentmap"`): our code in one ESM file, dependencies left to the
// host's node_modules so a host Effect application and AgentMap share one copy of effect.
await build({
  absWorkingDir: root,
  // `agentmap/aws`, `agentmap/azure`, `agentmap/gcp`: the cloud handlers for hosts that bundle themselves
  entryPoints: { index: "src/main/index.ts", aws: "src/main/aws.ts", azure: "src/main/azure.ts", gcp: "src/main/gcp.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning"
})
// and its type declarations
const types = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.types.json"], { cwd: root, encoding: "utf8" })
if (types.status !== 0) process.stderr.write(`agentmap: type declarations were not generated:\n${types.stdout}${types.stderr}\n`)

const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith(".cjs"))
  .reduce((n, [, o]) => n + o.bytes, 0)

// Warm the code cache with a real run, so the functions a run compiles are in it.
const warm = spawnSync(
  process.execPath,
  [path.join(root, "bin", "agentmap.cjs"), "run", path.join(root, "workflows", "hello_world.csv"), "--state", '{"name":"cache"}', "--json"],
  { cwd: root, encoding: "utf8", env: { ...process.env, AGENTMAP_CONFIG_FILE: "" } }
)
if (warm.status !== 0) {
  process.stderr.write(`agentmap: warm-up run failed (the code cache will be written on first use)\n${warm.stderr}\n`)
}
console.log(`agentmap: built dist/cli.cjs (${(bytes / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`)
