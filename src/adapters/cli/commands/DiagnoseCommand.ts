import { Effect } from "effect"
import { type Check, fail, ok, overall } from "../../../domain/Diagnosis.js"
import { format } from "../../../domain/Diagnostic.js"
import { InvalidRequest } from "../../../domain/Errors.js"
import * as AppLayer from "../../AppLayer.js"
import { loadConfig } from "../../config/ConfigLoader.js"
import { configReport, Diagnosis } from "../../diagnose/Diagnosis.js"
import { versions } from "../../diagnose/Versions.js"
import * as Logging from "../../logging/Logging.js"
import * as TtyTerminal from "../../terminal/TtyTerminal.js"
import { packageVersion } from "../../version/PackageVersion.js"
import { runStandalone } from "../CommandRuntime.js"
import { printChecklist } from "../DiagnosisPrinter.js"
import { askServer } from "../ServerDiagnosis.js"
import { ExitCode } from "../ExitCodes.js"
import { type OutputMode, printJson } from "../Output.js"
import { command, flag, text } from "../Spec.js"
import { WORKFLOW_ARG } from "./RunCommand.js"
import { jsonOption, prettyOption } from "./SharedOptions.js"

const print = <D extends { readonly checks: ReadonlyArray<Check> }>(mode: OutputMode, document: D) => {
  if (mode.json) printJson(mode, document)
  else printChecklist(document.checks)
  return document.checks.some((c) => c.status === "error") ? ExitCode.Failed : ExitCode.Ok
}

export const diagnoseCommand = command({
  name: "diagnose",
  summary: "Check the installation, configuration, store, providers and user code (and a workflow's needs) as a ✔/⚠/✖ checklist",
  details: [
    "System: AgentMap, Node and LangGraph versions; the config file found and the search order tried; every folder of paths: and storage: (exists, readable, writable); the store (SQLite file writable, its tables and user_version; or PostgreSQL reachable within persistence.connect_timeout_seconds, its server version, schema and one round trip's latency); each LLM provider (whether a key is set and where from, never its value; base_url); routing functions, custom agents and tool modules, each compiled and loaded as a run would (a module that does not compile is ✖ with its FILE:LINE:COL); MCP servers of mcp.servers; the compile cache (size, entries).",
    "With WORKFLOW (or --csv F): its validation summary; each agent type it uses and where it comes from (built-in, a custom module, or missing: agentmap scaffold writes it); the LLM providers it calls and whether each is configured; host services its custom agents need and the ones provided; whether it can suspend and whether the store keeps suspended threads.",
    "--probe also makes one cheap request to each configured provider (its list of models: status and latency) and starts each MCP server to list its tools (bounded by its timeout_seconds).",
    "Only what is needed is ✖: a provider without a key is ⚠, and ✖ only when the diagnosed workflow calls it. Secrets (keys, passwords in URLs) never appear in the output. GET /admin/diagnose on a server answers the same document, plus what only a running server knows (uptime, memory, circuit breaker states, and its metrics as the `metrics` lines of the checklist); --url URL asks a server for it (the admin key in AGENTMAP_API_KEY)."
  ],
  args: [WORKFLOW_ARG],
  options: {
    csv: text({ placeholder: "FILE", description: "a workflow CSV to diagnose (the same as WORKFLOW)" }),
    graph: text({ short: "g", placeholder: "GRAPH", description: "diagnose only this graph of the workflow", default: "every graph of the file" }),
    probe: flag({ description: "call each configured provider once (GET its models) and start each MCP server to list its tools" }),
    url: text({
      placeholder: "URL",
      description: "diagnose a running server instead: GET URL/admin/diagnose with the admin key in AGENTMAP_API_KEY; its checklist ends with its metrics (runs, node failures, model calls, cache hit rate, requests, active runs, pending interrupts)"
    }),
    json: jsonOption,
    pretty: prettyOption
  },
  examples: ["agentmap diagnose", "agentmap diagnose workflows/support.csv", "agentmap diagnose --csv flow.csv --probe --json", "AGENTMAP_API_KEY=agm_... agentmap diagnose --url http://agentmap:8000"],
  exitCodes: "0 nothing is ✖ (warnings allowed), 1 something is ✖ (or, with --url, the server could not be asked), 2 invalid flags, 3 workflow or graph not found",
  run: ({ options: o, args, globals }) => {
    const mode: OutputMode = { json: o.json, indent: o.pretty }
    const cwd = process.cwd()
    const version = packageVersion()
    return runStandalone(
      mode,
      Effect.gen(function* () {
        const positional = args[0]
        if (positional !== undefined && o.csv !== undefined && positional !== o.csv)
          return yield* Effect.fail(new InvalidRequest({ message: `two workflows given: '${positional}' and --csv '${o.csv}'` }))
        const workflow = positional ?? o.csv
        if (o.url !== undefined) {
          const answer = yield* askServer({ url: o.url, apiKey: process.env["AGENTMAP_API_KEY"], probe: o.probe, ...(workflow !== undefined ? { workflow } : {}), ...(o.graph !== undefined ? { graph: o.graph } : {}) })
          if (answer._tag === "Answered") return print(mode, answer.document)
          if (mode.json) printJson(mode, { status: "error", error: answer.message })
          else process.stderr.write(`✖ ${answer.message}\n`)
          return ExitCode.Failed
        }
        const loaded = yield* Effect.either(loadConfig({ explicit: globals.config, env: process.env, cwd }))
        if (loaded._tag === "Left") {
          // without a configuration nothing else can be checked: the document says why
          const e = loaded.left
          const v = versions(version)
          const config = configReport(e._tag === "InvalidConfig" ? e.file : undefined, cwd, process.env, globals.config)
          const checks: ReadonlyArray<Check> = [
            ok("system", "versions", `AgentMap ${v.agentmap}, Node ${v.node}, LangGraph ${v.langgraph}`),
            ...(e._tag === "InvalidConfig"
              ? e.diagnostics.filter((d) => d.severity === "error").map((d) => fail("config", d.code, format(d), "fix the config file at that position; nothing else can be checked until it loads"))
              : [fail("config", "file", e.message, "give an existing file to --config (or AGENTMAP_CONFIG_FILE), or leave both unset")])
          ]
          return print(mode, { status: overall(checks), version: v.agentmap, node: v.node, versions: v, config, checks })
        }
        const { config } = loaded.right
        const document = yield* Effect.gen(function* () {
          const diagnosis = yield* Diagnosis
          return yield* diagnosis.run({ probe: o.probe, ...(workflow !== undefined ? { workflow } : {}), ...(o.graph !== undefined ? { graph: o.graph } : {}) })
        }).pipe(
          Effect.provide(AppLayer.layer({ config, cwd, terminal: TtyTerminal.layer, ...(globals.config !== undefined ? { explicitConfig: globals.config } : {}) })),
          Effect.provide(Logging.layerFor(config, "cli", globals.logLevel))
        )
        return print(mode, document)
      })
    )
  }
})
