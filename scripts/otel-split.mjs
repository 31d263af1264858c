// The OpenTelemetry SDK as a file of its own beside a CommonJS bundle (the CLI's, the cloud
// functions'): read and compiled only when telemetry is enabled. Used by build.mjs and build-cloud.mjs.
import { build } from "esbuild"
import * as fs from "node:fs"
import * as path from "node:path"

/**
 * The bundle runs as a vm.Script (bin/agentmap.cjs, for its code cache), which has no loader for
 * `import()`: the OTLP exporters load node:http that way. Inside their files, `import('http')`
 * and `import('https')` become requires (the only dynamic imports of node built-ins they make).
 */
export function builtinImportsAsRequire() {
  return {
    name: "builtin-imports-as-require",
    setup(b) {
      b.onLoad({ filter: /@opentelemetry[\/]otlp-exporter-base[\/].*\.js$/ }, async (args) => ({
        contents: fs.readFileSync(args.path, "utf8").replace(/\bimport\((['"])(https?)\1\)/g, "Promise.resolve(require('$2'))"),
        loader: "js"
      }))
    }
  }
}

/**
 * The OpenTelemetry packages are a sixth of the CLI bundle, and every run would read and compile
 * them for nothing while telemetry is off (bench/cli.mjs measured +12% cold start). In a bundle
 * built with this plugin each import of one becomes a require of the `otel.cjs` beside it (see
 * buildOtelFile), made when the importing module first runs: only when telemetry is enabled.
 */
export function otelAsSeparateFile() {
  const namespaces = {
    "@opentelemetry/api": "api",
    "@opentelemetry/exporter-metrics-otlp-http": "exporterMetricsOtlpHttp",
    "@opentelemetry/exporter-trace-otlp-http": "exporterTraceOtlpHttp",
    "@opentelemetry/resources": "resources",
    "@opentelemetry/sdk-metrics": "sdkMetrics",
    "@opentelemetry/sdk-trace-base": "sdkTraceBase",
    "@opentelemetry/semantic-conventions": "semanticConventions"
  }

  return {
    name: "otel-as-separate-file",
    setup(b) {
      b.onResolve({ filter: /^@opentelemetry\// }, (args) =>
        namespaces[args.path] !== undefined ? { path: args.path, namespace: "otel-split" } : undefined
      )
      b.onLoad({ filter: /.*/, namespace: "otel-split" }, (args) => ({
        contents: `module.exports = require(require("node:path").join(__dirname, "otel.cjs"))[${JSON.stringify(namespaces[args.path])}]`,
        loader: "js"
      }))
    }
  }
}

/** Writes `otel.cjs` (the packages of src/adapters/telemetry/OtelPackages.ts) into `outdir`. */
export const buildOtelFile = (root, outdir, minify = true) =>
  build({
    absWorkingDir: root,
    entryPoints: { otel: path.join(root, "src/adapters/telemetry/OtelPackages.ts") },
    outdir,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    minify,
    legalComments: "none",
    plugins: [builtinImportsAsRequire()],
    logLevel: "warning"
  })
