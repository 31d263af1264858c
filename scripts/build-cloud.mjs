// One minified bundle per cloud, ready to deploy: `npm run build:aws|azure|gcp`.
//   node scripts/build-cloud.mjs <aws|azure|gcp> [--config FILE] [--out DIR]
// The bundle carries AgentMap and its dependencies (no native SQLite: use PostgreSQL or memory),
// the routing functions of `paths.functions` compiled in, and a copy of the workflow repository
// (and prompts folder) beside it. Nothing here needs a cloud account.
import { buildOtelFile, otelAsSeparateFile } from "./otel-split.mjs"
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { parseArgs } from "node:util"
import { build } from "esbuild"

const root = path.resolve(import.meta.dirname, "..")
const { values, positionals } = parseArgs({ allowPositionals: true, options: { config: { type: "string" }, out: { type: "string" } } })
const cloud = positionals[0]
if (!["aws", "azure", "gcp"].includes(cloud ?? "")) {
  console.error("usage: node scripts/build-cloud.mjs <aws|azure|gcp> [--config FILE] [--out DIR]")
  process.exit(2)
}
const started = Date.now()
const out = path.resolve(values.out ?? path.join(root, "dist", "cloud", cloud))

// the project's configuration says where workflows and functions live (dist/index.mjs is the library build)
const { configFor } = await import(path.join(root, "dist", "index.mjs"))
const { Effect } = await import("effect")
const config = await Effect.runPromise(configFor({ ...(values.config !== undefined ? { configFile: path.resolve(values.config) } : {}), cwd: process.cwd() })).catch((e) => {
  console.error(`agentmap: ${e.message ?? e}`)
  process.exit(2)
})

const EXTENSIONS = [".ts", ".mts", ".js", ".mjs"]
const functionFiles = fs.existsSync(config.paths.functions)
  ? fs
      .readdirSync(config.paths.functions)
      .filter((f) => EXTENSIONS.includes(path.extname(f)) && !f.endsWith(".d.ts") && /^[A-Za-z_$][\w$-]*$/.test(path.basename(f, path.extname(f))))
      .sort()
  : []

// user modules (custom agents, tools, host services), compiled in and served by their path relative to the
// bundle, where each folder is copied under its default name (the container's default paths find them)
const base = config.file !== undefined ? path.dirname(config.file) : process.cwd()
const moduleFile = (f) => MODULE_EXTENSIONS_RE.test(f) && !/\.d\.m?ts$/.test(f)
const MODULE_EXTENSIONS_RE = /\.(ts|mts|js|mjs)$/
const listModules = (dir) => (fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? fs.readdirSync(dir).filter(moduleFile).sort() : [])
const hostServicesFile = [config.paths.hostServices, ...EXTENSIONS.map((e) => `${config.paths.hostServices}${e}`)].find((f) => f !== undefined && moduleFile(f) && fs.existsSync(f))
const userFolders = [
  { from: config.paths.customAgents, to: "custom_agents" },
  { from: config.paths.customTools ?? path.join(base, "custom_tools"), to: "custom_tools" }
]
const userModules = [
  ...userFolders.flatMap(({ from, to }) => listModules(from).map((f) => ({ source: path.join(from, f), key: `${to}/${f}` }))),
  ...(hostServicesFile !== undefined ? [{ source: hostServicesFile, key: `host_services${path.extname(hostServicesFile)}` }] : [])
]
// `agentmap` in a user module is this bundle's own API; effect, zod and @langchain/core its own copies (one instance)
const sharedPackages = {
  name: "agentmap-shared-packages",
  setup(b) {
    b.onResolve({ filter: /^(agentmap|effect|zod|@langchain\/core)(\/.*)?$/ }, async (args) => {
      if (args.pluginData === "inner") return undefined
      if (args.path === "agentmap") return { path: path.join(root, "src/main/index.ts") }
      const found = await b.resolve(args.path, { kind: args.kind, resolveDir: root, pluginData: "inner" })
      return found.errors.length === 0 ? { path: found.path } : { errors: found.errors }
    })
  }
}

// the entry: register the compiled-in functions (with the sha256 of each source, as the functions folder fingerprints them), then the cloud's handlers
const entry = [
  `import { registerCompiledFunctions } from ${JSON.stringify(path.join(root, "src/adapters/functions/CompiledUserFunctions.ts"))}`,
  `import { registerBundleRoot } from ${JSON.stringify(path.join(root, "src/adapters/serverless/BundleRoot.ts"))}`,
  // the bundle's own folder (the loader passes it): workflows/ and prompts/ are copied there
  `registerBundleRoot(__dirname)`,
  ...functionFiles.map((f, i) => `import * as f${i} from ${JSON.stringify(path.join(config.paths.functions, f))}`),
  `import { registerCompiledModules } from ${JSON.stringify(path.join(root, "src/adapters/modules/CompiledUserModules.ts"))}`,
  ...userModules.map((m, i) => `import * as m${i} from ${JSON.stringify(m.source)}`),
  `registerCompiledModules({`,
  ...userModules.map((m, i) => `  ${JSON.stringify(m.key)}: { module: m${i}, hash: ${JSON.stringify(createHash("sha256").update(fs.readFileSync(m.source)).digest("hex"))} },`),
  `})`,
  `registerCompiledFunctions({`,
  ...functionFiles.map((f, i) => {
    const hash = createHash("sha256").update(fs.readFileSync(path.join(config.paths.functions, f))).digest("hex")
    return `  ${JSON.stringify(path.basename(f, path.extname(f)))}: { module: f${i}, hash: ${JSON.stringify(hash)} },`
  }),
  `})`,
  `export * from ${JSON.stringify(path.join(root, `src/main/${cloud}.ts`))}`
].join("\n")

fs.rmSync(out, { recursive: true, force: true })
fs.mkdirSync(out, { recursive: true })
const result = await build({
  absWorkingDir: root,
  stdin: { contents: entry, resolveDir: root, sourcefile: `agentmap-${cloud}-entry.ts`, loader: "ts" },
  outfile: path.join(out, "agentmap.js"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // AGENTMAP_BUNDLE_MINIFY=0 keeps names, for profiling
  minify: process.env.AGENTMAP_BUNDLE_MINIFY !== "0",
  metafile: true,
  legalComments: "none",
  // native SQLite and the run-time TypeScript compiler stay out; the functions framework is the platform's own copy on GCP
  external: ["better-sqlite3", "esbuild", "pg-native", "@azure/functions-core", ...(cloud === "gcp" ? ["@google-cloud/functions-framework"] : [])],
  define: { "import.meta.url": "__agentmap_import_meta_url" },
  banner: { js: "var __agentmap_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [sharedPackages, otelAsSeparateFile()],
  logLevel: "warning"
})

// the OpenTelemetry SDK beside it, read only when telemetry is enabled
await buildOtelFile(root, out, process.env.AGENTMAP_BUNDLE_MINIFY !== "0")

const copy = (from, to) => {
  if (fs.existsSync(from)) fs.cpSync(from, path.join(out, to), { recursive: true, filter: (f) => !f.includes(`${path.sep}node_modules`) && !f.includes(`${path.sep}.agentmap`) })
}
copy(config.paths.csvRepository, "workflows")
copy(config.paths.promptsDirectory, "prompts")
// the folders' listings (and custom_agents.yaml) tell which types exist; the code itself is compiled in
for (const { from, to } of userFolders) copy(from, to)
if (hostServicesFile !== undefined) fs.copyFileSync(hostServicesFile, path.join(out, `host_services${path.extname(hostServicesFile)}`))
// the API viewer /docs serves, as the library build copied it (read only when /docs is asked for)
copy(path.join(root, "dist", "swagger-ui"), "swagger-ui")

const version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version
const pin = (name) => JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version
// the package manifest each platform reads (name and version also let the bundle report its version)
const manifest = {
  name: "agentmap",
  version,
  private: true,
  description: `AgentMap ${cloud} bundle`,
  main: "index.js",
  ...(cloud === "gcp" ? { dependencies: { "@google-cloud/functions-framework": pin("@google-cloud/functions-framework") } } : {}),
  ...(cloud === "azure" ? { dependencies: {} } : {})
}
fs.writeFileSync(path.join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)
if (cloud === "azure") fs.copyFileSync(path.join(root, "infra", "azure", "host.json"), path.join(out, "host.json"))

// index.js loads the bundle through a V8 code cache written here by a warm-up invocation: a cold
// container then skips most of the compile (a runtime whose V8 differs rejects the cache and
// compiles from source, as without it)
fs.copyFileSync(path.join(root, "scripts", "cloud-loader.cjs"), path.join(out, "index.js"))
const warm = spawnSync(process.execPath, [path.join(root, "scripts", "cloud-warmup.cjs"), out, cloud], {
  cwd: root,
  encoding: "utf8",
  env: { PATH: process.env.PATH ?? "", NODE_PATH: path.join(root, "node_modules"), AGENTMAP_WRITE_CODE_CACHE: "1" }
})
if (warm.status !== 0) console.error(`agentmap: warm-up failed, the bundle has no code cache:\n${warm.stderr}${warm.stdout}`)

const bytes = fs.statSync(path.join(out, "agentmap.js")).size
const cacheBytes = fs.existsSync(path.join(out, "agentmap.js.cache")) ? fs.statSync(path.join(out, "agentmap.js.cache")).size : 0
const inputs = Object.keys(result.metafile.inputs).length
console.log(
  `agentmap: built ${path.relative(process.cwd(), out) || "."} for ${cloud}: agentmap.js ${(bytes / 1024).toFixed(0)} KiB minified from ${inputs} modules (+ ${(cacheBytes / 1024).toFixed(0)} KiB code cache), ` +
    `${functionFiles.length} routing function${functionFiles.length === 1 ? "" : "s"} compiled in (${functionFiles.map((f) => path.basename(f, path.extname(f))).join(", ") || "none"}), ` +
    `${userModules.length} user module${userModules.length === 1 ? "" : "s"} (${userModules.map((m) => m.key).join(", ") || "none"}), in ${Date.now() - started} ms`
)
