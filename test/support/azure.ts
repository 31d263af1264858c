import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..", "..")

/**
 * A stand-in for the module the Functions host injects into its worker: it records what the
 * app registers, the way the host would read it. Put on NODE_PATH for a child process.
 */
export const fakeAzureCore = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-azure-core-"))
  fs.mkdirSync(path.join(dir, "@azure", "functions-core"), { recursive: true })
  // CommonJS whatever package.json sits above the temp folder
  fs.writeFileSync(path.join(dir, "@azure", "functions-core", "package.json"), JSON.stringify({ name: "@azure/functions-core", main: "index.cjs" }))
  fs.writeFileSync(
    path.join(dir, "@azure", "functions-core", "index.cjs"),
    `const registered = []
module.exports = {
  setProgrammingModel() {},
  registerFunction(metadata, handler) { registered.push({ metadata, handler: typeof handler }); return { dispose() {} } },
  registerHook() { return { dispose() {} } },
  log() {},
  registered
}
process.on("exit", () => process.stdout.write("REGISTERED " + JSON.stringify(registered) + "\\n"))
`
  )
  return dir
}

/** Loads `module` in a fresh process with the fake host module and returns the functions it registered. */
export const registrations = (module: string, env: Record<string, string> = {}) => {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(module)})`], {
    cwd: root,
    env: { PATH: process.env["PATH"] ?? "", NODE_PATH: fakeAzureCore(), ...env },
    encoding: "utf8"
  })
  const line = run.stdout.split("\n").find((l) => l.startsWith("REGISTERED "))
  if (line === undefined) throw new Error(`no registrations (exit ${run.status}):\n${run.stdout}\n${run.stderr}`)
  return JSON.parse(line.slice("REGISTERED ".length)) as Array<{ metadata: { name: string; bindings: Record<string, Record<string, unknown>> }; handler: string }>
}

