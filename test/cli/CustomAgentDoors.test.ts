import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { createAgentMap, defineAgent } from "../../src/main/index.js"
import { ROOT, agentmap, json, nodeAsync } from "../support/cli.js"
import { dropSchema, freshSchema, postgresConfig } from "../support/postgres.js"
import { call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const header = "graph_name,node_name,agent_type,input_fields,output_field,prompt,context,success_next,failure_next"

/** One custom agent that imports agentmap and effect, returns an Effect, and reads a host service. */
const project = (extra: Record<string, string> = {}) => ({
  "workflows/forecast.csv": [header, "Forecast,Look,forecast,city,report,Weather for {city},,,"].join("\n"),
  "custom_agents/forecast_agent.ts": [
    `import { Effect } from "effect"`,
    `import { defineAgent } from "agentmap"`,
    `export default defineAgent({`,
    `  requires: { services: ["weather"] },`,
    `  run: (ctx) => Effect.succeed(ctx.prompt + ": " + (ctx.services as { weather: { today: (c: string) => string } }).weather.today(String(ctx.inputs["city"])))`,
    `})`
  ].join("\n"),
  "host_services.ts": `export default { weather: { today: (city: string) => city + " is sunny" } }`,
  ...extra
})

const schemas: Array<string> = []
afterAll(async () => {
  for (const s of schemas) await dropSchema(s)
})

describe("the same custom agent through every door", () => {
  it("CLI: run compiles it (then reuses the compiled copy), validate reports a broken module at FILE:LINE:COL with the rows using it", () => {
    const dir = workspace(project())
    const first = agentmap(["run", "forecast", "--state", '{"city":"Oslo"}', "--json"], { cwd: dir })
    expect(first.status, first.stderr).toBe(0)
    expect((json(first)["outputs"] as Record<string, unknown>)["report"]).toBe("Weather for Oslo: Oslo is sunny")
    const again = agentmap(["run", "forecast", "--state", '{"city":"Rome"}', "--json"], { cwd: dir })
    expect((json(again)["outputs"] as Record<string, unknown>)["report"]).toBe("Weather for Rome: Rome is sunny")

    fs.writeFileSync(path.join(dir, "custom_agents/forecast_agent.ts"), `import { defineAgent } from "agentmap"\nexport default defineAgent({\n  run: (ctx) => ctx.inputs[\n})\n`)
    const v = agentmap(["validate", "forecast"], { cwd: dir })
    expect(v.status).not.toBe(0)
    expect(v.stdout + v.stderr).toMatch(new RegExp(`custom_agents/forecast_agent\\.ts:4:1: error: custom agent type 'forecast' cannot be used: .*forecast\\.csv:2 node 'Look'`))
    const r = agentmap(["run", "forecast", "--state", '{"city":"Oslo"}'], { cwd: dir })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain("forecast_agent.ts:4:1")
  })

  it("CLI: a thread suspended in a custom agent is not resumed with a changed module unless --force, which runs the new code", () => {
    const agent = (tag: string) =>
      [
        `import { defineAgent } from "agentmap"`,
        `export default defineAgent({`,
        `  run: async (ctx) => {`,
        `    const answer = await ctx.suspend({ question: "approve " + String(ctx.inputs["amount"]) + "?" })`,
        `    return "${tag}: " + answer.action`,
        `  }`,
        `})`
      ].join("\n")
    const dir = workspace({ "workflows/approve.csv": [header, "Approve,Ask,approval,amount,decision,,,,"].join("\n"), "custom_agents/approval.ts": agent("v1") })
    const started = agentmap(["run", "approve", "--state", '{"amount":120}', "--json"], { cwd: dir })
    expect(json(started)).toMatchObject({ status: "suspended", interrupt: { node: "Ask", payload: { question: "approve 120?" } } })
    const thread = json(started)["thread_id"] as string

    fs.writeFileSync(path.join(dir, "custom_agents/approval.ts"), agent("v2"))
    const refused = agentmap(["resume", thread, "approve"], { cwd: dir })
    expect(refused.status).toBe(2)
    expect(refused.stderr).toContain(`custom agent or tool module ${path.join(dir, "custom_agents", "approval.ts")} changed since thread '${thread}' started; resume with --force to run it with the new code`)
    const still = agentmap(["threads", "show", thread, "--json"], { cwd: dir })
    expect(json(still)).toMatchObject({ status: "suspended" })

    const forced = agentmap(["resume", thread, "approve", "--force", "--json"], { cwd: dir })
    expect(forced.status, forced.stderr).toBe(0)
    expect(json(forced)).toMatchObject({ status: "completed", outputs: { decision: "v2: approve" } })
  })

  it("createAgentMap: agents and services registered in code, no folder needed", async () => {
    const dir = workspace({ "workflows/greet.csv": [header, "Greet,Hi,greeter,name,greeting,,,,"].join("\n") })
    const am = createAgentMap({
      cwd: dir,
      services: { clock: { now: () => "noon" } },
      agents: { greeter: defineAgent({ requires: { services: ["clock"] }, run: (ctx) => `hello ${String(ctx.inputs["name"])} at ${(ctx.services as { clock: { now: () => string } }).clock.now()}` }) }
    })
    try {
      const result = await am.run("greet", { state: { name: "Ann" } })
      expect(result.outputs["greeting"]).toBe("hello Ann at noon")
    } finally {
      await am.close()
    }
  })

  // two servers compile the agent and open PostgreSQL at once: slow on a loaded machine
  it("serve: a custom agent that suspends on one server, resumed through HTTP on another sharing PostgreSQL, completes exactly once", async () => {
    const schema = freshSchema("custom_resume")
    schemas.push(schema)
    const dir = workspace({
      "agentmap_config.yaml": postgresConfig(schema),
      "workflows/approve.csv": [header, "Approve,Ask,approval,amount,decision,,,,"].join("\n"),
      "custom_agents/approval.ts": [
        `import { defineAgent } from "agentmap"`,
        `export default defineAgent({`,
        `  run: async (ctx) => {`,
        `    const answer = await ctx.suspend({ question: "approve " + String(ctx.inputs["amount"]) + "?" })`,
        `    await ctx.storage.writeText("decisions.log", answer.action + "\\n", { append: true })`,
        `    return answer.action + " by " + String((answer.data as { by?: string } | null)?.by)`,
        `  }`,
        `})`
      ].join("\n")
    })
    const key = createKey(dir, "ops", "read,execute")
    const [one, two] = await Promise.all([startServer(dir), startServer(dir)])
    try {
      const started = await call(`${one.url}/execute/approve`, { method: "POST", key, body: JSON.stringify({ state: { amount: 120 } }) })
      expect(started.status, started.text).toBe(200)
      expect(started.body).toMatchObject({ status: "suspended", interrupt: { node: "Ask", payload: { question: "approve 120?" } } })
      const thread = started.body["thread_id"] as string
      const resumed = await call(`${two.url}/resume/${thread}`, { method: "POST", key, body: JSON.stringify({ action: "approve", data: { by: "ann" } }) })
      expect(resumed.status, resumed.text).toBe(200)
      expect(resumed.body).toMatchObject({ status: "completed", outputs: { decision: "approve by ann" } })
      const again = await call(`${one.url}/resume/${thread}`, { method: "POST", key, body: JSON.stringify({ action: "approve", data: { by: "bob" } }) })
      expect(again.status).toBe(409)
      expect(fs.readFileSync(path.join(dir, "data", "decisions.log"), "utf8")).toBe("approve\n")
    } finally {
      await Promise.all([one.stop(), two.stop()])
    }
  }, 90_000)

  it("AWS bundle: the custom agent and host services are compiled in and run from the bundle alone", async () => {
    const dir = workspace({ "agentmap_config.yaml": "paths:\n  csv_repository: workflows\n", ...project() })
    const out = path.join(dir, "bundle")
    const build = await nodeAsync([path.join(ROOT, "scripts", "build-cloud.mjs"), "aws", "--config", path.join(dir, "agentmap_config.yaml"), "--out", out], { cwd: ROOT, timeoutMillis: 170_000 })
    expect(build.status, build.stderr).toBe(0)
    expect(build.stdout).toContain("2 user modules (custom_agents/forecast_agent.ts, host_services.ts)")
    const event = { version: "2.0", rawPath: "/execute/forecast", rawQueryString: "", headers: { "content-type": "application/json", host: "b" }, requestContext: { requestId: "r", stage: "$default", http: { method: "POST" } }, body: JSON.stringify({ state: { city: "Lima" } }), isBase64Encoded: false }
    const r = spawnSync(process.execPath, ["-e", `require("./index.js").handler(${JSON.stringify(event)}, { awsRequestId: "x" }).then((r) => { console.log(JSON.stringify(r)); process.exit(0) })`], {
      cwd: out,
      env: { PATH: process.env["PATH"] ?? "", HOME: out, AGENTMAP_AUTH_ENABLED: "false" },
      encoding: "utf8"
    })
    expect(r.status, r.stderr).toBe(0)
    const answer = JSON.parse(r.stdout.trim().split("\n").pop()!) as { statusCode: number; body: string }
    expect(JSON.parse(answer.body)).toMatchObject({ status: "completed", outputs: { report: "Weather for Lima: Lima is sunny" } })
  }, 120_000)
})
