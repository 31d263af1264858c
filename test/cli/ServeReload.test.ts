import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentmap } from "../support/cli.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt,Description\n"
const greet = (words: string) => `${HEADER}Hello,Greet,echo,,,,name,greeting,"${words} {name}",Greets\n`
const ROUTED = `${HEADER}Grading,Score,echo,func:pick,,,score,seen,,Reads the score\nGrading,High,echo,,,,score,grade,"{score}: high",\nGrading,Low,echo,,,,score,grade,"{score}: low",\n`
const SHOUTED = `${HEADER}Shout,Loud,shout,,,,word,loud,,A custom agent\n`
const shout = (suffix: string) =>
  `import { defineAgent } from "agentmap"\nexport default defineAgent({\n  run: async (ctx) => String(ctx.inputs["word"]).toUpperCase() + "${suffix}"\n})\n`
const pick = (threshold: number) => `export function pick(state: Record<string, unknown>): string {\n  return Number(state["score"]) >= ${threshold} ? "High" : "Low"\n}\n`

let dir: string
let server: RunningServer
let key: string

/** Waits until the server's stderr, after `from` characters, matches. */
const logged = async (pattern: RegExp, from: number): Promise<string> => {
  for (let i = 0; i < 400; i++) {
    const text = server.stderr().slice(from)
    if (pattern.test(text)) return text
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`not logged: ${pattern}\n${server.stderr().slice(from)}`)
}

/** Writes a file the way an editor saves it, and returns what the server logged about it. */
const edit = async (relative: string, text: string, expect: RegExp) => {
  const from = server.stderr().length
  fs.writeFileSync(path.join(dir, relative), text)
  return logged(expect, from)
}

const greeting = async () => {
  const r = await call(`${server.url}/execute/greet/Hello`, { method: "POST", key, body: JSON.stringify({ state: { name: "Ada" } }) })
  return { status: r.status, greeting: (r.body["outputs"] as Record<string, unknown> | undefined)?.["greeting"] }
}
const grade = async (score: number) => {
  const r = await call(`${server.url}/execute/grading/Grading`, { method: "POST", key, body: JSON.stringify({ state: { score } }) })
  return (r.body["outputs"] as Record<string, unknown> | undefined)?.["grade"] ?? r.text
}

beforeAll(async () => {
  dir = workspace({
    "agentmap_config.yaml": "paths:\n  csv_repository: workflows\n  functions: functions\n",
    "workflows/greet.csv": greet("Hello"),
    "workflows/grading.csv": ROUTED,
    "functions/pick.ts": pick(50),
    "workflows/shouting.csv": SHOUTED,
    "custom_agents/shout.ts": shout("!")
  })
  key = createKey(dir, "dev", "read,execute")
  server = await startServer(dir, ["--reload"])
  await logged(/reload: ready: 3 workflows checked/, 0)
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

describe("agentmap serve --reload", () => {
  it("says at start what it watches", () => {
    expect(server.stderr()).toMatch(/reload: watching workflows workflows\/, functions functions\/, custom agents custom_agents\/, tools custom_tools\/ \(missing: watched for creation\), host services host_services, config file agentmap_config\.yaml/)
  })

  it("runs an edited CSV from the next run on; a broken edit is logged with its diagnostics while the previous version keeps serving", async () => {
    expect(await greeting()).toEqual({ status: 200, greeting: "Hello Ada" })

    expect(await edit("workflows/greet.csv", greet("Hi"), /greet\.csv changed: valid/)).toContain("workflows/greet.csv changed: valid, runs started from now use it")
    expect(await greeting()).toEqual({ status: 200, greeting: "Hi Ada" })

    // an edge to a node that does not exist: the diagnostic names the file, line and column
    const log = await edit("workflows/greet.csv", `${greet("Bye")}Hello,Other,echo,Nowhere,,,,x,,\n`, /greet\.csv has errors/)
    expect(log).toMatch(/workflows\/greet\.csv:3:\d+: error: .*'Nowhere'/)
    expect(log).toContain("workflows/greet.csv has errors; the previous version keeps serving until they are fixed")
    expect(await greeting()).toEqual({ status: 200, greeting: "Hi Ada" })

    await edit("workflows/greet.csv", greet("Welcome"), /greet\.csv changed: valid/)
    expect(await greeting()).toEqual({ status: 200, greeting: "Welcome Ada" })
  })

  it("imports an edited routing function again; one that does not compile is logged at its line and the previous one keeps routing", async () => {
    expect(await grade(70)).toBe("70: high")
    await edit("functions/pick.ts", pick(80), /pick\.ts changed: loaded/)
    expect(await grade(70)).toBe("70: low")

    const log = await edit("functions/pick.ts", "export function pick(state) {\n  return (\n}\n", /pick\.ts has errors/)
    expect(log).toMatch(/functions\/pick\.ts: error: .*pick\.ts:3:\d+/)
    expect(await grade(70)).toBe("70: low")
  })

  it("imports an edited custom agent again; one that does not compile is logged at its line and the previous one keeps running", async () => {
    const loud = async () => {
      const r = await call(`${server.url}/execute/shouting/Shout`, { method: "POST", key, body: JSON.stringify({ state: { word: "hey" } }) })
      return (r.body["outputs"] as Record<string, unknown> | undefined)?.["loud"] ?? r.text
    }
    expect(await loud()).toBe("HEY!")
    await edit("custom_agents/shout.ts", shout("!!"), /shout\.ts changed: loaded/)
    expect(await loud()).toBe("HEY!!")
    const log = await edit("custom_agents/shout.ts", "import { defineAgent } from \"agentmap\"\nexport default defineAgent({\n  run: async (ctx) => (\n})\n", /shout\.ts has errors/)
    expect(log).toMatch(/custom_agents\/shout\.ts:4:\d+: error: /)
    expect(await loud()).toBe("HEY!!")
  })

  it("keeps the previous configuration when the config file is broken", async () => {
    const log = await edit("agentmap_config.yaml", "paths: [\n", /previous configuration keeps serving/)
    expect(log).toMatch(/agentmap_config\.yaml:\d+:\d+: error: invalid YAML/)
    expect(await greeting()).toEqual({ status: 200, greeting: "Welcome Ada" })
  })

  it("restarts on the same address with a fixed config file, and keeps serving what was valid", async () => {
    const from = server.stderr().length
    fs.writeFileSync(path.join(dir, "agentmap_config.yaml"), "paths:\n  csv_repository: workflows\n  functions: functions\n")
    await logged(/restarting the server with the new configuration[\s\S]*reload: ready/, from)
    expect(server.stderr().slice(from)).toContain(`serving ${server.url}`)
    expect(await greeting()).toEqual({ status: 200, greeting: "Welcome Ada" })
  })
})

describe("agentmap serve --reload refusals", () => {
  it("is refused together with --workers > 1 (usage error, exit 2)", () => {
    const r = agentmap(["serve", "--reload", "--workers", "2", "--port", "0"], { cwd: workspace({}) })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/--reload .* cannot be combined with --workers 2/)
  })
})
