import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Ajv2020 } from "ajv/dist/2020.js"
import { ROOT } from "./cli.js"

type Json = Record<string, unknown>

/** Runs a node script of a dev tool; resolves with its exit code and output. */
const tool = (script: string, args: ReadonlyArray<string>, cwd: string) =>
  new Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules", script), ...args], {
      cwd,
      env: { PATH: process.env["PATH"] ?? "", HOME: cwd, NO_COLOR: "1", REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.on("error", reject)
    child.on("exit", (code) => resolve({ code, stdout, stderr }))
  })

export interface LintProblem {
  readonly ruleId: string
  readonly severity: "error" | "warn"
  readonly message: string
  readonly pointer: string
}

/** `redocly lint --extends=recommended` (the real CLI) on the document, as it was served. */
export const redoclyLint = async (document: Json): Promise<ReadonlyArray<LintProblem>> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-redocly-"))
  fs.writeFileSync(path.join(dir, "openapi.json"), JSON.stringify(document, null, 2))
  const run = await tool("@redocly/cli/bin/cli.js", ["lint", "openapi.json", "--extends=recommended", "--format=json"], dir).finally(() => fs.rmSync(dir, { recursive: true }))
  const report = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as { problems: Array<{ ruleId: string; severity: "error" | "warn"; message: string; location: Array<{ pointer: string }> }> }
  return report.problems.map((p) => ({ ruleId: p.ruleId, severity: p.severity, message: p.message, pointer: p.location[0]?.pointer ?? "" }))
}

export interface Answer {
  readonly path: string
  readonly method: string
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
}

const pointer = (...parts: ReadonlyArray<string>) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")

/**
 * Holds answers against the document with a JSON Schema validator (OpenAPI 3.1 schemas are JSON
 * Schema 2020-12): the status must be declared for the operation, the body must match that
 * status's schema, and every header the response declares must be there. Returns what is wrong.
 */
export const responseChecker = (document: Json) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  const id = "urn:agentmap:openapi"
  ajv.addSchema({ ...document, $id: id })
  const paths = document["paths"] as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> }>>
  return (answer: Answer): ReadonlyArray<string> => {
    const where = `${answer.method.toUpperCase()} ${answer.path} ${answer.status}`
    const declared = paths[answer.path]?.[answer.method]?.responses[String(answer.status)]
    if (declared === undefined) return [`${where}: status not declared`]
    const problems = Object.keys(declared.headers ?? {})
      .filter((name) => !answer.headers.has(name))
      .map((name) => `${where}: declared header ${name} missing`)
    const mediaType = (answer.headers.get("content-type") ?? "").split(";")[0]!.trim()
    if (declared.content?.[mediaType] === undefined) return [...problems, `${where}: content type ${mediaType} not declared`]
    if (mediaType !== "application/json") return problems
    const validate = ajv.getSchema(`${id}#/${pointer("paths", answer.path, answer.method, "responses", String(answer.status), "content", mediaType, "schema")}`)
    if (validate === undefined) return [...problems, `${where}: schema not found`]
    return validate(answer.body) ? problems : [...problems, ...(validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`)]
  }
}

/**
 * Generates the client types from the served document with the openapi-typescript CLI, puts the client
 * program (test/http/openapi-client/exchange.ts) next to them and type-checks it with tsc.
 */
export const typeCheckClient = async (documentUrl: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-openapi-client-"))
  const generated = await tool("openapi-typescript/bin/cli.js", [documentUrl, "--output", "agentmap-api.d.ts"], dir)
  if (generated.code !== 0) throw new Error(`openapi-typescript failed:\n${generated.stderr}`)
  fs.copyFileSync(path.join(ROOT, "test/http/openapi-client/exchange.ts"), path.join(dir, "exchange.ts"))
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir")
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }))
  const compilerOptions = { strict: true, noEmit: true, exactOptionalPropertyTypes: true, noUnusedLocals: true, target: "ES2022", lib: ["ES2022", "DOM"], module: "NodeNext", moduleResolution: "NodeNext", types: [], skipLibCheck: true }
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["exchange.ts"] }))
  const tsc = await tool("typescript/lib/tsc.js", ["-p", "tsconfig.json", "--pretty", "false"], dir)
  return { dir, code: tsc.code, output: tsc.stdout + tsc.stderr, types: fs.readFileSync(path.join(dir, "agentmap-api.d.ts"), "utf8") }
}
