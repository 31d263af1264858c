// Bundles the CLI with esbuild into dist/ (run by `npm install` through `prepare`), then warms
// a V8 code cache for it. One CommonJS file plus its code cache starts far faster than hundreds
// of ESM modules compiled from source on every run (bench/cold-start.mjs measures it).
//   node scripts/build.mjs [--force]
// The build writes into a folder of its own and moves each finished file into dist/ (a rename:
// atomic), so an `agentmap` started meanwhile finds the old or the new file, never none. When
// nothing it builds from changed since the last build (dist/.build.json), it builds nothing.
import { build } from "esbuild"
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import * as fs from "node:fs"
import * as path from "node:path"
import { gzipSync } from "node:zlib"
import { sourceHash } from "./build-inputs.mjs"
import { buildOtelFile, otelAsSeparateFile } from "./otel-split.mjs"

const root = path.resolve(import.meta.dirname, "..")
const dist = path.join(root, "dist")
const stampFile = path.join(dist, ".build.json")
const started = Date.now()

const readStamp = () => {
  try {
    return JSON.parse(fs.readFileSync(stampFile, "utf8"))
  } catch {
    return undefined
  }
}

const hash = sourceHash(root)
const previous = readStamp()
if (
  !process.argv.includes("--force") &&
  previous?.hash === hash &&
  Array.isArray(previous.files) &&
  previous.files.every((f) => fs.existsSync(path.join(dist, f)))
) {
  console.log(`agentmap: dist/ is up to date (sources unchanged; \`npm run build -- --force\` rebuilds)`)
  process.exit(0)
}

// a folder of this build's own beside the files it replaces (same file system, so renames work);
// folders left by builds that died are removed
fs.mkdirSync(dist, { recursive: true })
for (const entry of fs.readdirSync(dist)) {
  const pid = /^\.next-(\d+)$/.exec(entry)?.[1]
  if (pid !== undefined && !isAlive(Number(pid))) fs.rmSync(path.join(dist, entry), { recursive: true, force: true })
}
const out = path.join(dist, `.next-${process.pid}`)
fs.rmSync(out, { recursive: true, force: true })

try {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: "src/main/cli.ts" },
    outdir: out,
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
    plugins: [otelAsSeparateFile()],
    banner: { js: "var __agentmap_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: "warning"
  })

  // The OpenTelemetry SDK the CLI loads only with telemetry enabled (see otel-split.mjs)
  await buildOtelFile(root, out)

  // The library (`import ... from "agentmap"`): our code in one ESM file, dependencies left to the
  // host's node_modules so a host Effect application and AgentMap share one copy of effect.
  await build({
    absWorkingDir: root,
    // `agentmap/aws`, `agentmap/azure`, `agentmap/gcp`: the cloud handlers for hosts that bundle themselves
    // and the OpenTelemetry SDK layer as a file of its own, imported only when telemetry is enabled:
    // bundled into each entry, its imports of the (external) SDK packages would be static ones
    entryPoints: { index: "src/main/index.ts", aws: "src/main/aws.ts", azure: "src/main/azure.ts", gcp: "src/main/gcp.ts", telemetry: "src/adapters/telemetry/OtelSdk.ts" },
    outdir: out,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    plugins: [telemetryAsSeparateFile()],
    sourcemap: "linked",
    logLevel: "warning"
  })
  // and its type declarations
  const types = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.types.json", "--outDir", path.join(out, "types")],
    { cwd: root, encoding: "utf8" }
  )
  if (types.status !== 0) process.stderr.write(`agentmap: type declarations were not generated:\n${types.stdout}${types.stderr}\n`)
  // the API viewer /docs serves (src/adapters/http/DocsAssets.ts), copied beside the bundles with its
  // licence: served from there, read only when /docs is asked for
  try {
    const viewer = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"))
    fs.mkdirSync(path.join(out, "swagger-ui"))
    for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-bundle.js.LICENSE.txt", "LICENSE", "NOTICE"]) fs.copyFileSync(path.join(viewer, f), path.join(out, "swagger-ui", f))
  } catch (e) {
    process.stderr.write(`agentmap: the API viewer (swagger-ui-dist) was not copied, /docs will not work: ${e.message}\n`)
  }

  // the web inspector /ui serves (src/adapters/http/UiAssets.ts): built by Vite from ui/ into ui/ beside
  // the bundles; Vite is a devDependency, so an install without it builds everything but /ui
  try {
    const { build: viteBuild } = await import("vite")
    await viteBuild({ configFile: path.join(root, "ui", "vite.config.ts"), build: { outDir: path.join(out, "ui") }, logLevel: "warn" })
    const uiFiles = listFiles(path.join(out, "ui"))
    const gzip = uiFiles.reduce((n, f) => n + gzipSync(fs.readFileSync(path.join(out, "ui", f))).length, 0)
    console.log(`agentmap: built dist/ui (${uiFiles.length} files, ${(gzip / 1024).toFixed(1)} KiB gzip first load; budget 250 KiB)`)
    if (gzip > 250 * 1024) throw new Error(`the inspector's first load is ${(gzip / 1024).toFixed(1)} KiB gzip, over its 250 KiB budget`)
  } catch (e) {
    fs.rmSync(path.join(out, "ui"), { recursive: true, force: true })
    process.stderr.write(`agentmap: the web inspector was not built, /ui will not work: ${e.message}\n`)
  }

  const files = listFiles(out)
  // the bundle before its code cache: a cache that does not match its bundle is rejected by V8, never used wrongly
  for (const f of files.sort((a, b) => Number(a.endsWith(".cache")) - Number(b.endsWith(".cache")))) {
    fs.mkdirSync(path.dirname(path.join(dist, f)), { recursive: true })
    fs.renameSync(path.join(out, f), path.join(dist, f))
  }
  // files the previous build made that this one did not (dist/cloud, the cloud bundles, is not ours)
  for (const f of previous?.files ?? []) if (!files.includes(f)) fs.rmSync(path.join(dist, f), { force: true })
  // a stale code cache of the old bundle would only be rejected: drop it, the warm-up writes the new one
  fs.rmSync(path.join(dist, "cli.cjs.cache"), { force: true })

  // Warm the code cache with a real run, so the functions a run compiles are in it.
  const warm = spawnSync(
    process.execPath,
    [path.join(root, "bin", "agentmap.cjs"), "run", path.join(root, "workflows", "hello_world.csv"), "--state", '{"name":"cache"}', "--json"],
    { cwd: root, encoding: "utf8", env: { ...process.env, AGENTMAP_CONFIG_FILE: "" } }
  )
  if (warm.status !== 0) {
    process.stderr.write(`agentmap: warm-up run failed (the code cache will be written on first use)\n${warm.stderr}\n`)
  }
  const built = [...files, ...(fs.existsSync(path.join(dist, "cli.cjs.cache")) ? ["cli.cjs.cache"] : [])]
  // written last: a build interrupted before this point is redone next time
  const stampTemp = `${stampFile}.${process.pid}`
  fs.writeFileSync(stampTemp, `${JSON.stringify({ hash: types.status === 0 ? hash : "incomplete", files: [...new Set(built)].sort() }, null, 1)}\n`)
  fs.renameSync(stampTemp, stampFile)

  const bytes = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith(".cjs"))
    .reduce((n, [, o]) => n + o.bytes, 0)
  console.log(`agentmap: built dist/cli.cjs (${(bytes / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`)
} finally {
  fs.rmSync(out, { recursive: true, force: true })
}

/** `import("./OtelSdk.js")` in Telemetry.ts loads dist/telemetry.mjs at run time (the entry above) instead of bundling it. */
function telemetryAsSeparateFile() {
  return {
    name: "telemetry-as-separate-file",
    setup(b) {
      b.onResolve({ filter: /^\.\/OtelSdk\.js$/ }, (args) => (args.kind === "dynamic-import" ? { path: "./telemetry.mjs", external: true } : undefined))
    }
  }
}

function listFiles(dir, prefix = "") {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
}

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return e.code === "EPERM"
  }
}
