import * as os from "node:os"
import { describeTelemetry } from "../config/TelemetryConfig.js"
import * as path from "node:path"
import { Context, Effect, Layer, Redacted } from "effect"
import { WorkflowCatalog } from "../../application/WorkflowCatalog.js"
import { type Check, type CheckStatus, fail, ok, overall, warn } from "../../domain/Diagnosis.js"
import { format } from "../../domain/Diagnostic.js"
import type { GraphNotFound, InvalidRequest, WorkflowNotFound } from "../../domain/Errors.js"
import type { AppConfig } from "../config/AppConfig.js"
import { CONFIG_FILE_NAME, loadConfig } from "../config/ConfigLoader.js"
import { CompileCache } from "../../ports/CompileCache.js"
import { type CacheStats, cacheReport } from "./CacheStats.js"
import { checkCustomAgents, checkFunctions, checkMcp, checkTools, type McpReport, type ModuleReport, moduleChecks } from "./ModuleChecks.js"
import { checkPaths, type PathReport } from "./PathChecks.js"
import { checkPersistence, type PersistenceReport } from "./PersistenceCheck.js"
import { checkQueue, type QueueReport } from "./QueueCheck.js"
import { checkProviders, type ProviderReport } from "./ProviderChecks.js"
import { versions, type Versions } from "./Versions.js"
import { checkWorkflow, type WorkflowReport } from "./WorkflowCheck.js"

export interface DiagnoseOptions {
  /** A workflow to diagnose too (an address as `run` takes it, or a CSV file). */
  readonly workflow?: string
  readonly graph?: string
  /** Make one cheap request to each configured provider and start each MCP server. */
  readonly probe: boolean
}

export interface ConfigReport {
  readonly file: string | null
  /** How it was found: `--config`, `AGENTMAP_CONFIG_FILE`, the search, or none (defaults). */
  readonly via: "--config" | "AGENTMAP_CONFIG_FILE" | "search" | "defaults"
  /** The search order, each with whether it exists. */
  readonly searched: ReadonlyArray<{ readonly path: string; readonly found: boolean }>
}

/** The document `agentmap diagnose --json` prints and `GET /admin/diagnose` answers (the server adds what only it knows). */
export interface DiagnosisDocument {
  readonly status: CheckStatus
  readonly version: string
  readonly node: string
  readonly versions: Versions
  readonly config: ConfigReport
  readonly paths: ReadonlyArray<PathReport>
  readonly persistence: PersistenceReport
  /** The background-run queue (issue 21). */
  readonly queue: QueueReport
  readonly llm: Readonly<Record<string, ProviderReport>>
  readonly modules: { readonly functions: ReadonlyArray<ModuleReport>; readonly custom_agents: ReadonlyArray<ModuleReport>; readonly tools: ReadonlyArray<ModuleReport> }
  readonly mcp: Readonly<Record<string, McpReport>>
  readonly cache: CacheStats
  /** Whether traces and metrics are exported, and where (header names only, never their values). */
  readonly telemetry: ReturnType<typeof describeTelemetry>
  readonly workflows: { readonly count: number; readonly invalid: ReadonlyArray<string> } | { readonly error: string }
  readonly workflow?: WorkflowReport
  /** The checklist, in order: every ⚠ and ✖ has one line of advice. */
  readonly checks: ReadonlyArray<Check>
}

const telemetryLine = (t: ReturnType<typeof describeTelemetry>) =>
  !t.enabled
    ? "off (telemetry.enabled: false): spans stay in the process, trace ids still reach results and logs"
    : t.exporter === "otlp"
      ? `on: OTLP/HTTP to ${t.traces_endpoint} and ${t.metrics_endpoint} as ${t.service_name}, sampling ${t.sample_ratio}${t.headers !== undefined && t.headers.length > 0 ? `, headers ${t.headers.join(", ")}` : ""}${t.capture_content ? ", prompts and completions captured" : ""}`
      : `on: ${t.exporter === "console" ? "printed to stdout (exporter: console)" : "not exported (exporter: none)"} as ${t.service_name}`

export class Diagnosis extends Context.Tag("agentmap/adapters/Diagnosis")<
  Diagnosis,
  {
    readonly run: (options: DiagnoseOptions) => Effect.Effect<DiagnosisDocument, WorkflowNotFound | GraphNotFound | InvalidRequest>
  }
>() {}

export interface DiagnosisOptions {
  readonly config: AppConfig
  readonly cwd: string
  readonly version: string
  readonly env?: Readonly<Record<string, string | undefined>>
  /** `--config F` as given, when the CLI had one. */
  readonly explicitConfig?: string
}

/** Where the configuration came from, and the search order (contract §8). */
export const configReport = (file: string | undefined, cwd: string, env: Readonly<Record<string, string | undefined>>, explicit: string | undefined): ConfigReport => {
  const fromEnv = env["AGENTMAP_CONFIG_FILE"]
  const candidates = [path.join(cwd, CONFIG_FILE_NAME), path.join(os.homedir(), ".agentmap", CONFIG_FILE_NAME)]
  const searched = [
    ...(explicit !== undefined ? [path.resolve(cwd, explicit)] : []),
    ...(fromEnv !== undefined && fromEnv !== "" ? [path.resolve(cwd, fromEnv)] : []),
    ...candidates
  ].map((p) => ({ path: p, found: p === file }))
  const via = file === undefined ? "defaults" : explicit !== undefined ? "--config" : fromEnv !== undefined && fromEnv !== "" && path.resolve(cwd, fromEnv) === file ? "AGENTMAP_CONFIG_FILE" : candidates.includes(file) ? "search" : "--config"
  return { file: file ?? null, via, searched }
}

/** Every secret the configuration holds: none of them may appear in the document. */
const secretsOf = (config: AppConfig): ReadonlyArray<string> => {
  const values: Array<string> = []
  for (const p of Object.values(config.llm.providers)) if (p.apiKey !== undefined) values.push(Redacted.value(p.apiKey))
  for (const h of Object.values(config.telemetry.headers)) values.push(Redacted.value(h))
  if (config.auth.jwt.secret !== undefined) values.push(Redacted.value(config.auth.jwt.secret))
  if (config.persistence.postgresUrl !== undefined) {
    values.push(config.persistence.postgresUrl)
    try {
      const u = new URL(config.persistence.postgresUrl)
      if (u.password !== "") values.push(u.password, decodeURIComponent(u.password))
    } catch {
      // an unparseable URL is hidden whole
    }
  }
  for (const s of Object.values(config.mcp.servers)) values.push(...Object.values(s._tag === "Stdio" ? s.env : s.headers))
  return [...new Set(values.filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length)
}

/** Replaces every secret in every string of the document: whatever a driver or a server said, it goes out clean. */
const scrub = <A>(document: A, secrets: ReadonlyArray<string>): A => {
  if (secrets.length === 0) return document
  let text = JSON.stringify(document)
  for (const s of secrets) text = text.split(JSON.stringify(s).slice(1, -1)).join("<redacted>")
  return JSON.parse(text) as A
}

export const layer = (options: DiagnosisOptions) =>
  Layer.effect(
    Diagnosis,
    Effect.gen(function* () {
      const context = yield* Effect.context<Effect.Effect.Context<ReturnType<typeof program>>>()
      return Diagnosis.of({ run: (o) => program(options, o).pipe(Effect.provide(context)) })
    })
  )

const program = (options: DiagnosisOptions, o: DiagnoseOptions) =>
  Effect.gen(function* () {
    const { config, cwd } = options
    const env = options.env ?? process.env
    const checks: Array<Check> = []
    const v = versions(options.version)
    checks.push(ok("system", "versions", `AgentMap ${v.agentmap}, Node ${v.node}, LangGraph ${v.langgraph}`))
    const configDoc = configReport(config.file, cwd, env, options.explicitConfig)
    checks.push(ok("config", "file", config.file === undefined ? `none found (searched ${configDoc.searched.map((s) => s.path).join(", ")}): defaults` : `${config.file} (${configDoc.via})`))
    if (config.file !== undefined) {
      const reloaded = yield* Effect.either(loadConfig({ explicit: config.file, env, cwd }))
      const diagnostics = reloaded._tag === "Right" ? reloaded.right.diagnostics : reloaded.left._tag === "InvalidConfig" ? reloaded.left.diagnostics : []
      for (const d of diagnostics)
        checks.push(d.severity === "error" ? fail("config", d.code, format(d), "fix the config file at that position") : warn("config", d.code, format(d), "fix or remove the key (see the README's configuration section)"))
    }
    const paths = checkPaths(config)
    checks.push(...paths.checks)
    const persistence = yield* checkPersistence(config)
    checks.push(persistence.check)
    const queue = yield* checkQueue(config)
    checks.push(queue.check)

    // the workflow first: the providers it calls are ✖ without a key, the others only ⚠
    const workflow = o.workflow === undefined ? undefined : yield* checkWorkflow({
      address: o.workflow,
      graph: o.graph,
      defaultProvider: config.llm.defaultProvider,
      durable: persistence.report.durable,
      backend: config.persistence.backend
    })
    const providers = yield* checkProviders({ llm: config.llm, raw: config.raw, env, probe: o.probe, needed: workflow?.needed ?? new Map() })
    checks.push(...providers.checks)

    const functions = yield* checkFunctions(config.paths.functions)
    const customAgents = yield* checkCustomAgents
    const tools = yield* checkTools(config.paths.customTools)
    checks.push(...moduleChecks("functions", functions), ...moduleChecks("custom_agents", customAgents), ...moduleChecks("tools", tools))
    const mcp = yield* checkMcp(config.mcp.servers, o.probe, path.join(config.paths.csvRepository, "diagnose.csv"), workflow?.neededMcp ?? new Map())
    checks.push(...mcp.checks)

    const cache = cacheReport(yield* (yield* CompileCache).stats)
    const served = cache.hit_rate === null ? "" : `; ${cache.hits} hits, ${cache.misses} compiles since start`
    checks.push(ok("cache", "compile cache", cache.exists ? `${config.paths.cache}: ${cache.entries} entr${cache.entries === 1 ? "y" : "ies"}, ${cache.bytes} of ${cache.max_bytes} bytes${served}` : `${config.paths.cache} (empty: created on first use)`))

    const telemetry = describeTelemetry(config.telemetry)
    checks.push(ok("telemetry", "traces and metrics", telemetryLine(telemetry)))

    const catalog = yield* WorkflowCatalog
    const listed = yield* Effect.either(catalog.list)
    const workflows = listed._tag === "Right" ? { count: listed.right.length, invalid: listed.right.filter((w) => !w.valid).map((w) => w.name) } : { error: listed.left.message }
    if ("invalid" in workflows && workflows.invalid.length > 0)
      checks.push(warn("workflows", "repository", `${workflows.count} workflows, invalid: ${workflows.invalid.join(", ")}`, `agentmap validate ${workflows.invalid[0]} shows its problems`))
    else checks.push(ok("workflows", "repository", "count" in workflows ? `${workflows.count} workflow${workflows.count === 1 ? "" : "s"}, all valid` : workflows.error))
    if (workflow !== undefined) checks.push(...workflow.checks)

    const document: DiagnosisDocument = {
      status: overall(checks),
      version: v.agentmap,
      node: v.node,
      versions: v,
      config: configDoc,
      paths: paths.reports,
      persistence: persistence.report,
      queue: queue.report,
      llm: providers.reports,
      modules: { functions, custom_agents: customAgents, tools },
      mcp: mcp.reports,
      cache,
      telemetry,
      workflows,
      ...(workflow !== undefined ? { workflow: workflow.report } : {}),
      checks
    }
    return scrub(document, secretsOf(config))
  })
