import * as fs from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import SwaggerParser from "@apidevtools/swagger-parser"
import { SignJWT } from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ROOT } from "../support/cli.js"
import { type Answer, type LintProblem, redoclyLint, responseChecker, typeCheckClient } from "../support/openapi.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

type Json = Record<string, unknown>
type Operation = { operationId: string; summary?: string; parameters: Array<Json>; security: Array<Record<string, Array<string>>>; responses: Record<string, Json> }

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Input_Fields,Output_Field,Prompt"
const SECRET = "a-test-secret-that-is-long-enough-for-hs256"
const files = {
  "agentmap_config.yaml": "http:\n  max_body_bytes: 2048\nauth:\n  jwt:\n    secret: env:JWT_SECRET\n",
  "workflows/approval.csv": fs.readFileSync(path.join(ROOT, "workflows/approval.csv"), "utf8"),
  "workflows/team/sales.csv": `${HEADER}\nQualify,Check,default,,,,qualified,qualify\n`,
  "workflows/broken.csv": `${HEADER}\nB,A,echo,Nowhere,,,,\n`
}

let server: RunningServer
let limitedServer: RunningServer
let document: Json
/** Credentials as headers: an API key for the runner, JWTs (the bearer scheme) for the other permissions. */
let as: { runner: Record<string, string>; reader: Record<string, string>; executor: Record<string, string>; admin: Record<string, string> }
let runnerKey: string
// the slow tools run while the other tests ask the server
let linted: Promise<ReadonlyArray<LintProblem>>
let client: ReturnType<typeof typeCheckClient>

/** Started now, awaited by a test later (a failure then fails that test, not the run). */
const ahead = <A>(promise: Promise<A>) => {
  promise.catch(() => undefined)
  return promise
}

beforeAll(async () => {
  const dir = workspace(files)
  const limited = workspace({ ...files, "agentmap_config.yaml": "auth:\n  enabled: false\nhttp:\n  rate_limit:\n    per_address_per_minute: 1\n" })
  runnerKey = createKey(dir, "runner")
  const bearer = async (sub: string, permission: string) => ({
    authorization: `Bearer ${await new SignJWT({ sub, permissions: [permission] }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("10m").sign(new TextEncoder().encode(SECRET))}`
  })
  as = { runner: { "x-api-key": runnerKey }, reader: await bearer("reader", "read"), executor: await bearer("executor", "execute"), admin: await bearer("admin", "admin") }
  ;[server, limitedServer] = await Promise.all([startServer(dir, [], { JWT_SECRET: SECRET }), startServer(limited)])
  document = (await call(`${server.url}/openapi.json`)).body
  linted = ahead(redoclyLint(document))
  client = ahead(typeCheckClient(`${server.url}/openapi.json`))
})
afterAll(async () => {
  await Promise.all([server?.stop(), limitedServer?.stop()])
})

const operations = () =>
  Object.entries(document["paths"] as Record<string, Record<string, Operation>>).flatMap(([template, item]) => Object.entries(item).map(([method, op]) => ({ template, method, op })))

/** A concrete URL path for a template: the example workflow, its graph, a thread nobody has. */
const sample = (template: string) => template.replace("{workflow}", "approval").replace("{graph}", "Approval").replace("{thread_id}", "no-such-thread")

/** One request; the answer as the document would be held to it. */
const ask = async (template: string, method: string, init: { as?: Record<string, string>; body?: unknown; path?: string } = {}): Promise<Answer> => {
  const r = await call(`${server.url}${init.path ?? sample(template)}`, {
    method: method.toUpperCase(),
    ...(method === "post" ? { body: JSON.stringify(init.body ?? {}) } : {}),
    headers: init.as ?? {}
  })
  return { path: template, method, status: r.status, headers: r.headers, body: r.text === "" ? undefined : r.body }
}

describe("the OpenAPI document at /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document for swagger-parser, every $ref resolving", async () => {
    // read from the server (a loopback address, which the resolver refuses unless told)
    const validated = SwaggerParser.validate(`${server.url}/openapi.json`, { resolve: { http: { safeUrlResolver: false } } })
    await expect(validated).resolves.toMatchObject({ openapi: "3.1.0" })
  })

  it("passes Redocly's recommended ruleset with no error; its only warnings are for the two routes that never answer 4xx", async () => {
    const problems = await linted
    expect(problems.filter((p) => p.severity === "error")).toEqual([])
    expect(problems.map((p) => `${p.ruleId} ${p.pointer}`).sort()).toEqual(["operation-4xx-response #/paths/~1docs/get/responses", "operation-4xx-response #/paths/~1openapi.json/get/responses"])
  })

  it("publishes every route under a concrete path with its parameters, an operationId and a summary", () => {
    expect(operations().map(({ template, method, op }) => `${method.toUpperCase()} ${template} ${op.operationId}`)).toEqual([
      "POST /execute/{workflow}/{graph} runs.execute",
      "POST /execute/{workflow} runs.executeWorkflow",
      "POST /execute/{workflow}/{graph}/stream runs.stream",
      "POST /execute/{workflow}/stream runs.streamWorkflow",
      "POST /resume/{thread_id} runs.resume",
      "GET /workflows workflows.list",
      "GET /workflows/{workflow} workflows.describe",
      "GET /workflows/{workflow}/graph workflows.graph",
      "GET /threads/{thread_id} threads.show",
      "PATCH /threads/{thread_id} langgraphThreads.update",
      "DELETE /threads/{thread_id} langgraphThreads.delete",
      "GET /health system.health",
      "GET /admin/diagnose system.diagnose",
      "GET /metrics system.metrics",
      "GET /openapi.json system.openapi",
      "GET /docs system.docs",
      "POST /assistants/search assistants.search",
      "POST /assistants/count assistants.count",
      "GET /assistants/{assistant_id} assistants.get",
      "GET /assistants/{assistant_id}/graph assistants.graph",
      "GET /assistants/{assistant_id}/schemas assistants.schemas",
      "GET /assistants/{assistant_id}/subgraphs assistants.subgraphs",
      "POST /threads langgraphThreads.create",
      "POST /threads/search langgraphThreads.search",
      "POST /threads/count langgraphThreads.count",
      "GET /threads/{thread_id}/state langgraphThreads.state",
      "POST /threads/{thread_id}/state langgraphThreads.updateState",
      "GET /threads/{thread_id}/history langgraphThreads.history",
      "POST /threads/{thread_id}/history langgraphThreads.historyPost",
      "POST /runs/wait langgraphRuns.waitStateless",
      "POST /runs/stream langgraphRuns.streamStateless",
      "POST /runs langgraphRuns.createStateless",
      "POST /threads/{thread_id}/runs/wait langgraphRuns.wait",
      "POST /threads/{thread_id}/runs/stream langgraphRuns.stream",
      "POST /threads/{thread_id}/runs langgraphRuns.create",
      "GET /threads/{thread_id}/runs langgraphRuns.list",
      "GET /threads/{thread_id}/runs/{run_id} langgraphRuns.get",
      "DELETE /threads/{thread_id}/runs/{run_id} langgraphRuns.delete",
      "GET /threads/{thread_id}/runs/{run_id}/join langgraphRuns.join",
      "GET /threads/{thread_id}/runs/{run_id}/stream langgraphRuns.joinStream",
      "POST /threads/{thread_id}/runs/{run_id}/cancel langgraphRuns.cancel"
    ])
    for (const { template, op } of operations()) {
      const inPath = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      const declared = op.parameters.filter((p) => p["in"] === "path").map((p) => p["name"])
      expect({ template, declared, summary: (op.summary ?? "").length > 0 }).toEqual({ template, declared: inPath, summary: true })
    }
    const workflow = (document["paths"] as Record<string, Record<string, Operation>>)["/execute/{workflow}"]!["post"]!.parameters.find((p) => p["name"] === "workflow")!
    expect(workflow["description"]).toMatch(/workflow::Graph.*sub-folder.*\/execute\/team\/sales::Qualify/s)
  })

  it("names the permission each route needs, and the server answers accordingly: 401 without credentials, 403 without that permission", async () => {
    const check = responseChecker(document)
    const lacking = { read: as.executor, execute: as.reader, admin: as.runner }
    const answers: Array<{ route: string; anonymous: number; needs: string; lacking?: number }> = []
    for (const { template, method, op } of operations()) {
      const needs = op.security.map((s) => Object.entries(s).map(([scheme, roles]) => `${scheme}:${roles.join(",")}`).join()).join(" | ")
      const anonymous = await ask(template, method)
      expect(check(anonymous)).toEqual([])
      const role = op.security[0]?.["apiKey"]?.[0] as keyof typeof lacking | undefined
      const refused = role === undefined ? undefined : await ask(template, method, { as: lacking[role] })
      if (refused !== undefined) expect(check(refused)).toEqual([])
      answers.push({ route: `${method.toUpperCase()} ${template}`, anonymous: anonymous.status, needs, ...(refused !== undefined ? { lacking: refused.status } : {}) })
    }
    const execute = { anonymous: 401, needs: "apiKey:execute | bearer:execute", lacking: 403 }
    const read = { anonymous: 401, needs: "apiKey:read | bearer:read", lacking: 403 }
    const open = { anonymous: 200, needs: "" }
    expect(answers).toEqual([
      { route: "POST /execute/{workflow}/{graph}", ...execute },
      { route: "POST /execute/{workflow}", ...execute },
      { route: "POST /execute/{workflow}/{graph}/stream", ...execute },
      { route: "POST /execute/{workflow}/stream", ...execute },
      { route: "POST /resume/{thread_id}", ...execute },
      { route: "GET /workflows", ...read },
      { route: "GET /workflows/{workflow}", ...read },
      { route: "GET /workflows/{workflow}/graph", ...read },
      { route: "GET /threads/{thread_id}", ...read },
      { route: "PATCH /threads/{thread_id}", ...execute },
      { route: "DELETE /threads/{thread_id}", ...execute },
      { route: "GET /health", ...open },
      { route: "GET /admin/diagnose", anonymous: 401, needs: "apiKey:admin | bearer:admin", lacking: 403 },
      { route: "GET /metrics", anonymous: 401, needs: "apiKey:admin | bearer:admin", lacking: 403 },
      { route: "GET /openapi.json", ...open },
      { route: "GET /docs", ...open },
      { route: "POST /assistants/search", ...read },
      { route: "POST /assistants/count", ...read },
      { route: "GET /assistants/{assistant_id}", ...read },
      { route: "GET /assistants/{assistant_id}/graph", ...read },
      { route: "GET /assistants/{assistant_id}/schemas", ...read },
      { route: "GET /assistants/{assistant_id}/subgraphs", ...read },
      { route: "POST /threads", ...execute },
      { route: "POST /threads/search", ...read },
      { route: "POST /threads/count", ...read },
      { route: "GET /threads/{thread_id}/state", ...read },
      { route: "POST /threads/{thread_id}/state", ...execute },
      { route: "GET /threads/{thread_id}/history", ...read },
      { route: "POST /threads/{thread_id}/history", ...read },
      { route: "POST /runs/wait", ...execute },
      { route: "POST /runs/stream", ...execute },
      { route: "POST /runs", ...execute },
      { route: "POST /threads/{thread_id}/runs/wait", ...execute },
      { route: "POST /threads/{thread_id}/runs/stream", ...execute },
      { route: "POST /threads/{thread_id}/runs", ...execute },
      { route: "GET /threads/{thread_id}/runs", ...read },
      { route: "GET /threads/{thread_id}/runs/{run_id}", ...read },
      { route: "DELETE /threads/{thread_id}/runs/{run_id}", ...execute },
      { route: "GET /threads/{thread_id}/runs/{run_id}/join", ...read },
      { route: "GET /threads/{thread_id}/runs/{run_id}/stream", ...read },
      { route: "POST /threads/{thread_id}/runs/{run_id}/cancel", ...execute }
    ])
  })

  it("declares each error as it is answered: its status, its { error, message } body and its headers", async () => {
    const check = responseChecker(document)
    const started = await ask("/execute/{workflow}", "post", { as: as.runner, path: "/execute/approval" })
    const threadId = (started.body as { thread_id: string }).thread_id
    const answers = [
      started,
      await ask("/execute/{workflow}", "post", { as: as.runner, path: "/execute/approval", body: { doc: "Q3" } }),
      await ask("/execute/{workflow}", "post", { as: as.runner, path: "/execute/nope" }),
      await ask("/execute/{workflow}/{graph}", "post", { as: as.runner, path: "/execute/approval/Nope" }),
      await ask("/execute/{workflow}", "post", { as: as.runner, path: "/execute/approval", body: { thread_id: threadId } }),
      await ask("/execute/{workflow}", "post", { as: as.runner, path: "/execute/approval", body: { state: { blob: "x".repeat(5000) } } }),
      await ask("/execute/{workflow}", "post", { as: as.runner, path: "/execute/broken" }),
      await ask("/resume/{thread_id}", "post", { as: as.runner, path: `/resume/${threadId}`, body: { action: "dance" } }),
      await ask("/threads/{thread_id}", "get", { as: as.runner, path: "/threads/no-such-thread" }),
      await ask("/workflows/{workflow}", "get", { as: as.runner, path: "/workflows/team/sales" }),
      await ask("/workflows/{workflow}/graph", "get", { as: as.runner, path: "/workflows/team/sales/graph?format=mermaid" }),
      await ask("/workflows/{workflow}/graph", "get", { as: as.runner, path: "/workflows/broken/graph?expand=true" }),
      await ask("/workflows/{workflow}/graph", "get", { as: as.runner, path: "/workflows/approval/graph?format=svg" }),
      await ask("/workflows/{workflow}/graph", "get", { as: as.runner, path: "/workflows/nope/graph" }),
      await ask("/execute/{workflow}/stream", "post", { as: as.runner, path: "/execute/team/sales::Qualify/stream" }),
      await ask("/health", "get"),
      await ask("/admin/diagnose", "get", { as: as.admin })
    ]
    expect(answers.map((a) => a.status)).toEqual([200, 400, 404, 404, 409, 413, 422, 400, 404, 200, 200, 200, 400, 404, 200, 200, 200])
    expect([answers[10]!.headers.get("content-type"), answers[11]!.body]).toEqual(["text/plain; charset=utf-8", expect.objectContaining({ valid: false, graph: "B" })])
    expect(answers.flatMap(check)).toEqual([])
    expect(answers[6]!.body).toMatchObject({ error: "InvalidWorkflow", diagnostics: [expect.objectContaining({ code: "unknown-target" })] })
  })
})

describe("the OpenAPI document of a rate-limited server", () => {
  it("declares the 429 as it is answered, with its Retry-After", async () => {
    const health = async (): Promise<Answer> => {
      const r = await call(`${limitedServer.url}/health`)
      return { path: "/health", method: "get", status: r.status, headers: r.headers, body: r.body }
    }
    await health()
    const limited = await health()
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, expect.stringMatching(/^\d+$/)])
    expect(responseChecker(document)(limited)).toEqual([])
  })
})

describe("a client generated from the document (openapi-typescript, openapi-fetch)", () => {
  it("type-checks with tsc and goes run → suspend → resume → thread → workflows, each response matching its declared schema", async () => {
    const checked = await client
    expect({ tsc: checked.code, output: checked.output }).toEqual({ tsc: 0, output: "" })
    expect(checked.types).toMatch(/"\/execute\/\{workflow\}\/\{graph\}": \{/)
    const { exchange } = (await import(pathToFileURL(path.join(checked.dir, "exchange.ts")).href)) as { exchange: (baseUrl: string, key: string) => Promise<ReadonlyArray<Answer>> }
    const answers = await exchange(server.url, runnerKey).finally(() => fs.rmSync(checked.dir, { recursive: true }))
    expect(answers.map((a) => `${a.method.toUpperCase()} ${a.path} ${a.status}`)).toEqual([
      "POST /execute/{workflow}/{graph} 200",
      "POST /resume/{thread_id} 200",
      "POST /resume/{thread_id} 409",
      "GET /threads/{thread_id} 200",
      "GET /workflows 200",
      "GET /workflows/{workflow} 200",
      "POST /execute/{workflow} 400"
    ])
    expect(answers.flatMap(responseChecker(document))).toEqual([])
  })
})
