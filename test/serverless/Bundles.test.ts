import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { nodeAsync } from "../support/cli.js"
import { registrations } from "../support/azure.js"
import { viewDocs } from "../support/docs.js"

const root = path.resolve(import.meta.dirname, "..", "..")
const out = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-bundles-"))

const buildCloud = async (cloud: string) => {
  const r = await nodeAsync([path.join(root, "scripts", "build-cloud.mjs"), cloud, "--out", path.join(out, cloud)], { cwd: root, timeoutMillis: 170_000 })
  if (r.status !== 0) throw new Error(`build ${cloud} failed:\n${r.stdout}${r.stderr}`)
  return r.stdout
}

/** Runs `script` in a fresh node process inside a bundle's folder, with nothing from this checkout on its module path. */
const inBundle = (cloud: string, script: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["-e", script], { cwd: path.join(out, cloud), env: { PATH: process.env["PATH"] ?? "", HOME: out, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })

const apiEvent = (rawPath: string, body: unknown) =>
  JSON.stringify({
    version: "2.0",
    rawPath,
    rawQueryString: "",
    headers: { "content-type": "application/json", host: "bundle.test" },
    requestContext: { requestId: "bundle-1", stage: "$default", http: { method: "POST" } },
    body: JSON.stringify(body),
    isBase64Encoded: false
  })

describe("cloud bundles (npm run build:aws|azure|gcp)", () => {
  const reports: Record<string, string> = {}
  beforeAll(async () => {
    for (const cloud of ["aws", "azure", "gcp"]) reports[cloud] = await buildCloud(cloud)
  }, 180_000)

  it("report their size and the routing functions compiled in, and carry the workflows and a code cache", () => {
    for (const cloud of ["aws", "azure", "gcp"]) {
      expect(reports[cloud]).toMatch(/agentmap\.js \d+ KiB minified .*1 routing function compiled in \(route_by_score\)/)
      for (const file of ["index.js", "agentmap.js", "agentmap.js.cache", "package.json", "workflows/hello_world.csv"]) expect(fs.existsSync(path.join(out, cloud, file)), `${cloud}/${file}`).toBe(true)
    }
    expect(fs.existsSync(path.join(out, "azure", "host.json"))).toBe(true)
    expect(JSON.parse(fs.readFileSync(path.join(out, "gcp", "package.json"), "utf8")).dependencies).toHaveProperty("@google-cloud/functions-framework")
  })

  it("AWS: a fresh process answers an API Gateway event from the bundle alone, routing with the compiled-in function", () => {
    const r = inBundle(
      "aws",
      `require("./index.js").handler(${apiEvent("/execute/routing_function", { state: { score: 72 } })}, { awsRequestId: "x" }).then((r) => { console.log(JSON.stringify(r)); process.exit(0) })`,
      { AGENTMAP_AUTH_ENABLED: "false" }
    )
    expect(r.status, r.stderr).toBe(0)
    const answer = JSON.parse(r.stdout.trim().split("\n").pop()!) as { statusCode: number; body: string }
    const body = JSON.parse(answer.body) as { status: string; execution_summary: { node_executions: Array<{ node: string }> } }
    expect([answer.statusCode, body.status]).toEqual([200, "completed"])
    expect(body.execution_summary.node_executions.map((e) => e.node)).toContain("Pass")
  })

  it("AWS: a tool agent's tool module is compiled in and served from the bundle (no TypeScript compiler, no checkout)", () => {
    expect(reports["aws"]).toMatch(/user modules \([^)]*custom_tools\/text_tools\.ts[^)]*\)/)
    const r = inBundle(
      "aws",
      `require("./index.js").handler(${apiEvent("/execute/tools", { state: { title: "Crème Brûlée for Beginners" } })}, { awsRequestId: "t" }).then((r) => { console.log(JSON.stringify(r)); process.exit(0) })`,
      { AGENTMAP_AUTH_ENABLED: "false" }
    )
    expect(r.status, r.stderr).toBe(0)
    const answer = JSON.parse(r.stdout.trim().split("\n").pop()!) as { statusCode: number; body: string }
    const body = JSON.parse(answer.body) as { status: string; outputs: Record<string, unknown>; execution_summary: { node_executions: Array<{ node: string; tools?: unknown }> } }
    expect([answer.statusCode, body.status], answer.body).toEqual([200, "completed"])
    expect(body.outputs["report"]).toBe("/posts/creme-brulee-for-beginners (4 words)")
    expect(body.execution_summary.node_executions[0]!.tools).toEqual([{ name: "slugify", args: { text: "Crème Brûlée for Beginners" }, result: "creme-brulee-for-beginners" }])
  })

  it("AWS: serves /docs and the viewer's files from the bundle's folder alone", async () => {
    const paths = ["/docs", "/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/openapi.json"]
    const events = paths.map((rawPath) => ({ version: "2.0", rawPath, rawQueryString: "", headers: { host: "bundle.test" }, requestContext: { requestId: "docs", stage: "$default", http: { method: "GET" } } }))
    const r = inBundle(
      "aws",
      `const { handler } = require("./index.js"); Promise.all(${JSON.stringify(events)}.map((e) => handler(e, { awsRequestId: "d" }))).then((rs) => process.stdout.write(JSON.stringify(rs) + "\\n", () => process.exit(0)))`,
      { AGENTMAP_AUTH_ENABLED: "false" }
    )
    expect(r.status, r.stderr).toBe(0)
    const answers = JSON.parse(r.stdout.trim().split("\n").pop()!) as Array<{ statusCode: number; headers: Record<string, string>; body: string }>
    const byPath = new Map(answers.map((a, i) => [paths[i]!, a]))
    const view = await viewDocs("https://bundle.test/docs", async (url) => {
      const a = byPath.get(url.pathname)
      return a === undefined ? { status: 0, contentType: "", cacheControl: "", text: "" } : { status: a.statusCode, contentType: a.headers["content-type"] ?? "", cacheControl: a.headers["cache-control"] ?? "", text: a.body }
    })
    expect(view.page.status).toBe(200)
    expect(view.assets.map((a) => [a.url, a.status, a.contentType.split(";")[0]])).toEqual(
      expect.arrayContaining([
        ["/docs/swagger-ui-bundle.js", 200, "text/javascript"],
        ["/docs/swagger-ui.css", 200, "text/css"],
        ["/openapi.json", 200, "application/json"]
      ])
    )
    expect(view.assets.map((a) => a.status)).toEqual(view.assets.map(() => 200))
  })

  it("AWS: started from another folder, the bundle finds the workflows beside itself; copied without them, it says where it looked", () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-elsewhere-"))
    const run = (bundle: string) =>
      spawnSync(
        process.execPath,
        ["-e", `require(${JSON.stringify(path.join(bundle, "index.js"))}).handler({ workflow: "hello_world", state: { name: "Ada" } }, { awsRequestId: "e" }).then((r) => console.log(JSON.stringify(r)), (e) => console.log("THROWN " + e.stack)).then(() => process.exit(0))`],
        { cwd: elsewhere, env: { PATH: process.env["PATH"] ?? "", HOME: elsewhere }, encoding: "utf8", timeout: 60_000 }
      )
    const found = run(path.join(out, "aws"))
    expect(JSON.parse(found.stdout.trim().split("\n").pop()!)).toMatchObject({ status: "completed", outputs: { greeting: "Hello Ada, welcome to AgentMap!" } })
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-bare-"))
    for (const f of ["index.js", "agentmap.js"]) fs.copyFileSync(path.join(out, "aws", f), path.join(bare, f))
    const lost = run(bare)
    expect(lost.stdout).toContain(
      `no workflows: the workflow repository ${path.join(bare, "workflows")} does not exist; no configuration file (looked for $AGENTMAP_CONFIG_FILE, ${path.join(bare, "agentmap_config.yaml")} and ~/.agentmap/agentmap_config.yaml)`
    )
    // the platform prints what the handler throws: the reason, not frames of a minified bundle
    const thrown = lost.stdout.split("\n").find((l) => l.startsWith("THROWN "))!
    expect(thrown).toContain(`${path.join(bare, "workflows")} does not exist; paths.csv_repository sets where it is`)
    expect(lost.stdout).not.toMatch(/\n\s+at /)
  })

  it("AWS: asked for SQLite, the bundle refuses with the reason instead of failing on a missing native module", () => {
    const r = inBundle(
      "aws",
      `require("./index.js").handler(${apiEvent("/execute/hello_world", { state: { name: "x" } })}, { awsRequestId: "x" }).then((r) => { console.log(JSON.stringify(r)); process.exit(0) })`,
      { AGENTMAP_AUTH_ENABLED: "false", AGENTMAP_PERSISTENCE__BACKEND: "sqlite" }
    )
    const answer = JSON.parse(r.stdout.trim().split("\n").pop()!) as { statusCode: number; body: string }
    expect(answer.statusCode).toBe(500)
    expect(JSON.parse(answer.body)["message"]).toMatch(/cloud bundle carries no native SQLite: use postgres/)
  })

  it("Azure: loading the bundle registers the HTTP and queue functions with the host", () => {
    const registered = registrations(path.join(out, "azure", "index.js"))
    expect(registered.map((r) => r.metadata.name).sort()).toEqual(["agentmap", "agentmapQueue"])
  })

  it("GCP: loading the bundle registers both targets with the platform's functions framework", () => {
    const r = inBundle(
      "gcp",
      `require("./index.js"); const t = require("@google-cloud/functions-framework/testing"); console.log(typeof t.getFunction("agentmap"), typeof t.getFunction("agentmapEvents")); process.exit(0)`,
      { NODE_PATH: path.join(root, "node_modules") }
    )
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout.trim().split("\n").pop()).toBe("function function")
  })
})
