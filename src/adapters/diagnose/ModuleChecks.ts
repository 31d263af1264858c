import * as fs from "node:fs"
import * as path from "node:path"
import { Duration, Effect } from "effect"
import { CustomAgents } from "../../application/CustomAgents.js"
import { MODULE_EXTENSIONS } from "../../domain/AgentType.js"
import { type Check, fail, ok, warn } from "../../domain/Diagnosis.js"
import { CustomAgentCatalog } from "../../ports/CustomAgentCatalog.js"
import { ToolSources } from "../../ports/Tools.js"
import { UserFunctions } from "../../ports/UserFunctions.js"
import type { McpServerConfig } from "../config/McpConfig.js"

export interface ModuleReport {
  readonly name: string
  /** The module (absolute), or undefined for an agent registered in code. */
  readonly file: string | null
  readonly ok: boolean
  /** FILE:LINE:COL: message, when the module cannot be used. */
  readonly error?: string
}

export interface McpReport {
  readonly transport: "stdio" | "http"
  /** The command (without its environment) or the URL's origin and path (never its credentials). */
  readonly target: string
  readonly timeout_s: number
  readonly probe?: { readonly ok: boolean; readonly tools?: ReadonlyArray<string>; readonly error?: string }
}

const display = (file: string) => {
  const relative = path.relative(process.cwd(), file)
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file
}

/** Module files of a folder (`.ts`, `.mts`, `.js`, `.mjs`, not declaration files), sorted. */
const modulesIn = (folder: string): ReadonlyArray<string> => {
  try {
    return fs
      .readdirSync(folder)
      .filter((f) => MODULE_EXTENSIONS.some((e) => f.toLowerCase().endsWith(e)) && !/\.d\.m?ts$/i.test(f))
      .sort()
      .map((f) => path.join(folder, f))
  } catch {
    return []
  }
}

const stripExtension = (file: string) => path.basename(file).replace(/\.(m?ts|m?js)$/i, "")

/** Routing functions: each module of the functions folder, compiled and imported as a run would. */
export const checkFunctions = (folder: string) =>
  Effect.gen(function* () {
    const functions = yield* UserFunctions
    return yield* Effect.forEach(modulesIn(folder), (file) =>
      functions.load(stripExtension(file)).pipe(
        Effect.as<ModuleReport>({ name: stripExtension(file), file, ok: true }),
        Effect.catchAll((e) => Effect.succeed<ModuleReport>({ name: stripExtension(file), file, ok: false, error: e.message }))
      )
    )
  })

/** Custom agents: each type of the catalog, resolved as a run would (module, export shape, host services). */
export const checkCustomAgents = Effect.gen(function* () {
  const catalog = yield* CustomAgentCatalog
  const agents = yield* CustomAgents
  const listed = yield* Effect.either(catalog.list)
  if (listed._tag === "Left") {
    const e = listed.left
    return [{ name: "custom_agents.yaml", file: e.file, ok: false, error: `${display(e.file)}:${e.line}:${e.column}: ${e.message}` }] as ReadonlyArray<ModuleReport>
  }
  return yield* Effect.forEach([...listed.right.values()], (entry) =>
    Effect.map(agents.resolve(entry.type), (r): ModuleReport => {
      const file = entry.file ?? null
      switch (r._tag) {
        case "Agent":
          return { name: entry.type, file, ok: true }
        case "Broken":
          return { name: entry.type, file, ok: false, error: `${display(r.file)}:${r.line}:${r.column}: ${r.message}` }
        case "MissingServices":
          return { name: entry.type, file, ok: false, error: `needs host services ${r.missing.join(", ")} that ${r.source} does not provide (it provides: ${r.provided.join(", ") || "none"})` }
        default:
          return { name: entry.type, file, ok: false, error: `cannot be resolved (${r._tag})` }
      }
    })
  )
})

/** Tool modules of `paths.custom_tools`: each located and loaded as a tool node would, and its tools counted. */
export const checkTools = (folder: string) =>
  Effect.gen(function* () {
    const sources = yield* ToolSources
    return yield* Effect.forEach(modulesIn(folder), (file) =>
      sources.locate({ _tag: "Module", path: file }, file).pipe(
        Effect.map((located): ModuleReport => ({ name: stripExtension(file), file, ok: true, ...(located._tag === "Module" ? {} : {}) })),
        Effect.catchAll((e) =>
          Effect.succeed<ModuleReport>({
            name: stripExtension(file),
            file,
            ok: false,
            error: e.line !== undefined && e.file !== undefined ? `${display(e.file)}:${e.line}:${e.column ?? 1}: ${e.message.replace(/^tool module \S+: /, "")}` : e.message
          })
        )
      )
    )
  })

export const moduleChecks = (kind: "functions" | "custom_agents" | "tools", reports: ReadonlyArray<ModuleReport>): ReadonlyArray<Check> =>
  reports.map((r) =>
    r.ok
      ? ok("modules", `${kind}/${r.name}`, r.file === null ? "registered in code" : `${display(r.file)} compiles and loads`)
      : r.error?.startsWith("needs host services") === true
        ? warn("modules", `${kind}/${r.name}`, r.error, "provide them in the host_services module (paths.host_services) or createAgentMap({ services })")
        : fail("modules", `${kind}/${r.name}`, r.error ?? "cannot be loaded", `fix ${r.file === null ? "the module" : display(r.file)} (the position above), then run agentmap diagnose again`)
  )

const describeTarget = (config: McpServerConfig) => {
  if (config._tag === "Stdio") return [config.command, ...config.args].join(" ")
  try {
    const u = new URL(config.url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return "(an unparseable URL)"
  }
}

/** MCP servers of `mcp.servers`; with `probe` each is started (or connected to) and its tools listed, within its timeout. */
export const checkMcp = (servers: Readonly<Record<string, McpServerConfig>>, probe: boolean, from: string, needed: ReadonlyMap<string, ReadonlyArray<string>>) =>
  Effect.gen(function* () {
    const sources = yield* ToolSources
    const reports: Record<string, McpReport> = {}
    const checks: Array<Check> = []
    for (const [name, config] of Object.entries(servers)) {
      const base: McpReport = { transport: config._tag === "Stdio" ? "stdio" : "http", target: describeTarget(config), timeout_s: config.timeoutMillis / 1000 }
      if (!probe) {
        reports[name] = base
        checks.push(ok("mcp", name, `${base.transport}: ${base.target} (not started; --probe lists its tools)`))
        continue
      }
      const listed = yield* sources.locate({ _tag: "Mcp", server: name }, from).pipe(
        Effect.flatMap((located) => (located._tag === "Mcp" ? located.tools : Effect.succeed(located.tools))),
        Effect.timeoutFail({ duration: Duration.millis(config.timeoutMillis + 1000), onTimeout: () => ({ message: `no answer within ${config.timeoutMillis / 1000} s` }) }),
        Effect.either
      )
      if (listed._tag === "Right") {
        const tools = listed.right.map((t) => t.name)
        reports[name] = { ...base, probe: { ok: true, tools } }
        checks.push(ok("mcp", name, `${base.transport}: ${base.target}: ${tools.length} tool${tools.length === 1 ? "" : "s"} (${tools.join(", ")})`))
      } else {
        reports[name] = { ...base, probe: { ok: false, error: listed.left.message } }
        // ✖ only when the diagnosed workflow uses it
        const users = needed.get(name)
        const detail = `${base.transport}: ${base.target}: ${listed.left.message}${users !== undefined ? ` (used by ${users.join(", ")})` : ""}`
        const advice = `check mcp.servers.${name} (command, args, url) and that the server starts on its own`
        checks.push(users !== undefined ? fail("mcp", name, detail, advice) : warn("mcp", name, detail, advice))
      }
    }
    return { reports, checks }
  })
