import { Effect } from "effect"
import { authCommand } from "./commands/AuthCommand.js"
import { diagnoseCommand } from "./commands/DiagnoseCommand.js"
import { healthCommand } from "./commands/HealthCommand.js"
import { initCommand, initConfigCommand } from "./commands/InitCommand.js"
import { inspectCommand } from "./commands/InspectCommand.js"
import { refreshCommand } from "./commands/RefreshCommand.js"
import { resumeCommand } from "./commands/ResumeCommand.js"
import { runCommand } from "./commands/RunCommand.js"
import { scaffoldCommand } from "./commands/ScaffoldCommand.js"
import { serveCommand } from "./commands/ServeCommand.js"
import { workerCommand } from "./commands/WorkerCommand.js"
import { threadsCommand } from "./commands/ThreadsCommand.js"
import { validateCommand } from "./commands/ValidateCommand.js"
import { ExitCode } from "./ExitCodes.js"
import { helpText } from "./Help.js"
import { printJson } from "./Output.js"
import { parse } from "./Parse.js"
import { group } from "./Spec.js"

const root = group({
  name: "agentmap",
  summary: "AgentMap: define agent workflows as CSV files and run them anywhere (terminal, HTTP server, embedded, cloud functions)",
  commands: [runCommand, resumeCommand, validateCommand, inspectCommand, scaffoldCommand, refreshCommand, threadsCommand, serveCommand, workerCommand, healthCommand, diagnoseCommand, authCommand, initCommand, initConfigCommand],
  examples: [
    "agentmap init",
    `agentmap run workflows/hello_world.csv --state '{"name": "Ada"}'`,
    "agentmap validate workflows/*.csv",
    "agentmap resume THREAD approve",
    "agentmap serve --port 8000",
    "agentmap diagnose workflows/hello_world.csv"
  ]
})

/** Commands of the Python AgentMap that this one does not have, and what to use instead. */
const RETIRED: Readonly<Record<string, string>> = {
  "validate-csv": "'agentmap validate-csv' is the Python AgentMap's command; here it is: agentmap validate FILE...",
  "validate-all": "'agentmap validate-all' is the Python AgentMap's command; here it is: agentmap validate workflows/*.csv",
  "validate-config":
    "'agentmap validate-config' is the Python AgentMap's command; here every command checks the configuration when it loads it and reports FILE:LINE:COL for each problem (try: agentmap threads list)",
  "validate-cache": "'agentmap validate-cache' is the Python AgentMap's command; here: agentmap refresh --all --dry-run lists the compile cache entries that are stale (agentmap refresh --all rebuilds them)",
  "inspect-graph": "'agentmap inspect-graph' is the Python AgentMap's command; here it is: agentmap inspect WORKFLOW (--format mermaid|dot|json)",
  compile: "'agentmap compile' is the Python AgentMap's command; it has no counterpart here: workflows are compiled when they run (nothing to prepare)",
  export: "'agentmap export' is the Python AgentMap's command; it has no counterpart here: the CSV is the workflow (use npm run build:aws|azure|gcp to package it for a cloud)",
  config: "'agentmap config' is the Python AgentMap's command; it has no counterpart here yet: agentmap diagnose shows the configuration found and what it sets up (GET /admin/diagnose on a server)"
}

/** The `agentmap` command line. Usage errors exit 2 (the contract). */
export const main = async (argv: ReadonlyArray<string>, version: string): Promise<void> => {
  // `update-bundle` (the Python AgentMap's command) is another name for `refresh`
  const given = argv.slice(2)
  const alias = given.indexOf("update-bundle")
  const commandBefore = given.slice(0, alias).some((w) => root.commands.some((c) => c.name === w))
  const words = alias >= 0 && !commandBefore ? given.map((w, i) => (i === alias ? "refresh" : w)) : given
  const parsed = parse(words, root, RETIRED)
  switch (parsed._tag) {
    case "Version":
      process.stdout.write(`${version}\n`)
      return
    case "Help":
      process.stdout.write(helpText(parsed.target, parsed.path))
      return
    case "UsageError": {
      process.exitCode = ExitCode.UserError
      if (words.includes("--json")) return printJson({ json: true, indent: false }, { error: "UsageError", message: parsed.message })
      const more = parsed.path.length === 0 ? "agentmap --help" : `agentmap ${parsed.path.join(" ")} --help`
      process.stderr.write(`error: ${parsed.message}\n`)
      process.stderr.write(parsed.showHelp ? `\n${helpText(parsed.target, parsed.path)}` : `(see: ${more})\n`)
      return
    }
    case "Run":
      return Effect.runPromise(parsed.command.run(parsed.invocation))
  }
}
