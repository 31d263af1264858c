import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { scripted } from "../../src/adapters/llm/ScriptedLanguageModels.js"
import { STDIO_SERVER, startHttpMcp } from "../support/mcpServers.js"
import { refused, run, workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Tool_Source,Available_Tools,Prompt,Input_Fields,Output_Field,Success_Next,Failure_Next,Context"
const csv = (...rows: ReadonlyArray<string>) => [HEADER, ...rows, "G,Failed,echo,,,,error,failure,,,", ""].join("\n")
type Execution = { node: string; success: boolean; tools?: ReadonlyArray<unknown> }
const executions = (result: { execution_summary: unknown }) => (result.execution_summary as { node_executions: ReadonlyArray<Execution> }).node_executions
const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const stdioConfig = (log: string, extra = "") =>
  `mcp:\n  servers:\n    calc:\n      command: ${process.execPath}\n      args: ["${STDIO_SERVER}"]\n      env:\n        MCP_START_LOG: ${log}\n${extra}`

describe("MCP tools over stdio", () => {
  it("start the server once for the process, call its tools (text and structured results), and stop it on shutdown", async () => {
    const dir = workspace({})
    const log = path.join(dir, "starts.log")
    fs.writeFileSync(path.join(dir, "agentmap_config.yaml"), stdioConfig(log))
    fs.writeFileSync(path.join(dir, "w.csv"), csv("G,Add,tool,mcp:calc,add,,a|b,sum,City,Failed,", "G,City,tool,mcp: calc,city,,town,facts,,Failed,"))
    const result = await run(dir, { workflow: "w.csv", state: { a: 2, b: "3", town: "Paris" } })
    expect(result.outputs["sum"]).toBe("5")
    expect(result.outputs["facts"]).toEqual({ name: "Paris", population: 2100000 })
    expect(executions(result)[0]!.tools).toEqual([{ name: "add", args: { a: 2, b: 3 }, result: "5" }])
    const pids = fs.readFileSync(log, "utf8").trim().split("\n").map(Number)
    expect(pids).toHaveLength(1)
    // the application was released at the end of `run`: the server process is gone
    expect(alive(pids[0]!)).toBe(false)
  })

  it("offer every tool of the server (`*`) to a tool-calling model", async () => {
    const dir = workspace({})
    fs.writeFileSync(path.join(dir, "agentmap_config.yaml"), stdioConfig(path.join(dir, "starts.log")))
    fs.writeFileSync(path.join(dir, "w.csv"), csv("G,Ask,llm,mcp:calc,*,,q,answer,,Failed,"))
    const models = scripted((_r, i) => (i === 0 ? { toolCalls: [{ name: "add", args: { a: 20, b: 22 } }] } : "42"))
    const result = await run(dir, { workflow: "w.csv", state: { q: "20+22?" } }, { models: models.layer })
    expect(models.calls[0]!.tools!.map((t) => t.name)).toEqual(["add", "city", "broken"])
    expect(result.outputs["answer"]).toBe("42")
    expect(models.calls[1]!.messages.at(-1)).toMatchObject({ role: "tool", content: "42", isError: false })
  })

  it("fail the node clearly when the server lacks a tool, a tool reports an error, or the server does not start", async () => {
    const dir = workspace({})
    fs.writeFileSync(
      path.join(dir, "agentmap_config.yaml"),
      stdioConfig(path.join(dir, "starts.log"), `    dead:\n      command: ${process.execPath}\n      args: ["-e", "console.error('cannot open the database'); process.exit(3)"]\n      timeout_seconds: 5\n`)
    )
    fs.writeFileSync(path.join(dir, "lacks.csv"), csv("G,Sub,tool,mcp:calc,subtract,,a|b,r,,Failed,"))
    fs.writeFileSync(path.join(dir, "broken.csv"), csv("G,Broken,tool,mcp:calc,broken,,,r,,Failed,"))
    fs.writeFileSync(path.join(dir, "dead.csv"), csv("G,Dead,tool,mcp:dead,anything,,,r,,Failed,"))
    const lacks = await run(dir, { workflow: "lacks.csv", state: { a: 1, b: 2 } })
    expect(lacks.outputs["failure"]).toBe("node 'Sub': MCP server 'calc' has no tool 'subtract' (it has: add, city, broken)")
    const broken = await run(dir, { workflow: "broken.csv", state: {} })
    expect(broken.outputs["failure"]).toBe("node 'Broken': tool 'broken' of MCP server 'calc' failed: the backend is down")
    const dead = await run(dir, { workflow: "dead.csv", state: {} })
    expect(dead.outputs["failure"]).toMatch(/^node 'Dead': MCP server 'dead' \(.*\) did not start: .*cannot open the database/)
  })

  it("refuse to start a workflow naming a server the config does not have", async () => {
    const dir = workspace({ "w.csv": csv("G,Add,tool,mcp:nope,add,,a|b,sum,,Failed,") })
    const error = (await refused(dir, { workflow: "w.csv" })) as { diagnostics: ReadonlyArray<{ line: number; message: string }> }
    expect(error.diagnostics[0]).toMatchObject({ line: 2, message: "node 'Add': Tool_Source 'mcp:nope': no MCP server 'nope' in the config (mcp.servers is empty)" })
  })
})

describe("MCP tools over streamable HTTP", () => {
  let http: Awaited<ReturnType<typeof startHttpMcp>>
  beforeAll(async () => {
    http = await startHttpMcp()
  })
  afterAll(() => http.close())

  it("call the server's tools at its URL with the configured headers", async () => {
    const dir = workspace({
      "agentmap_config.yaml": `mcp:\n  servers:\n    remote:\n      url: ${http.url}\n      headers:\n        x-api-key: secret-1\n`,
      "w.csv": csv("G,Add,tool,mcp:remote,add,,a|b,sum,City,Failed,", "G,City,tool,mcp:remote,city,,town,facts,,Failed,")
    })
    const result = await run(dir, { workflow: "w.csv", state: { a: 40, b: 2, town: "Lyon" } })
    expect(result.outputs["sum"]).toBe("42")
    expect(result.outputs["facts"]).toEqual({ name: "Lyon", population: 2100000 })
    expect(http.requests.headers["x-api-key"]).toBe("secret-1")
  })

  it("fail the node, not hang, when nothing answers at the URL", async () => {
    const dir = workspace({
      "agentmap_config.yaml": `mcp:\n  servers:\n    gone:\n      url: http://127.0.0.1:9/mcp\n      timeout_seconds: 3\n`,
      "w.csv": csv("G,Add,tool,mcp:gone,add,,a|b,sum,,Failed,")
    })
    const result = await run(dir, { workflow: "w.csv", state: { a: 1, b: 2 } })
    expect(result.outputs["failure"]).toMatch(/^node 'Add': MCP server 'gone' \(http:\/\/127.0.0.1:9\/mcp\) did not start: /)
  })
})
