import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { workspace } from "../support/workspace.js"

/** A workflow whose custom agent writes `count` log lines `line <i> …` of about 200 bytes each. */
const chatty = (config: string, count: number) =>
  workspace({
    "agentmap_config.yaml": config,
    "workflows/chatty.csv": "GraphName,Node,AgentType,Input_Fields,Output_Field,Edge\nChatty,Start,echo,x,y,Talk\nChatty,Talk,talker,y,z,\n",
    "custom_agents/talker.ts": [
      `import { defineAgent } from "agentmap"`,
      `export default defineAgent({`,
      `  run: (ctx) => {`,
      `    for (let i = 0; i < ${count}; i++) ctx.log.info("line " + i + " " + "x".repeat(40))`,
      `    return "done"`,
      `  }`,
      `})`
    ].join("\n")
  })

type Line = Record<string, unknown>
const parse = (text: string): ReadonlyArray<Line> =>
  text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Line)
const numbers = (lines: ReadonlyArray<Line>) => lines.map((l) => /^line (\d+) /.exec(String(l["message"]))).flatMap((m) => (m === null ? [] : [Number(m[1])]))

describe("CLI logs: stderr (stdout carries the result), JSON on request, a file rotated by size", () => {
  it("format json: every stderr line parses and the run's lines carry correlation_id, trace_id, span_id, graph, node, thread_id; stdout is still the result alone", () => {
    const cwd = chatty("logging:\n  level: info\n  format: json\n", 3)
    const r = agentmap(["run", "workflows/chatty.csv", "--state", '{"x":1}', "--json"], { cwd })
    expect(r.status).toBe(0)
    const result = json(r)
    const all = parse(r.stderr)
    // the node's lines, then the run's last line
    expect(all.map((l) => l["message"]).slice(3)).toEqual(["run completed"])
    expect(all.at(-1)).toMatchObject({ graph: "Chatty", thread_id: result["thread_id"], status: "completed", nodes: 2 })
    const lines = all.slice(0, 3)
    expect(numbers(lines)).toEqual([0, 1, 2])
    const correlation = lines[0]!["correlation_id"]
    expect(correlation).toMatch(/^[0-9a-f-]{36}$/)
    for (const line of lines) {
      expect(line).toMatchObject({ level: "INFO", graph: "Chatty", node: "Talk", thread_id: result["thread_id"], correlation_id: correlation })
      expect(line["trace_id"]).toMatch(/^[0-9a-f]{32}$/)
      expect(line["span_id"]).toMatch(/^[0-9a-f]{16}$/)
      expect(Number.isNaN(Date.parse(String(line["timestamp"])))).toBe(false)
    }
    // a second invocation is another correlation id
    const again = parse(agentmap(["run", "workflows/chatty.csv", "--state", '{"x":1}', "--json"], { cwd }).stderr)
    expect(again[0]!["correlation_id"]).not.toBe(correlation)
  })

  it("pretty by default: one readable line per call, no colour without a terminal", () => {
    const cwd = chatty("logging:\n  level: info\n", 1)
    const r = agentmap(["run", "workflows/chatty.csv", "--state", '{"x":1}'], { cwd })
    expect(r.status).toBe(0)
    const line = r.stderr.split("\n").find((l) => l.includes("line 0"))!
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO {2}line 0 x+ correlation_id=\S+ trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16} graph=Chatty node=Talk thread_id=\S+/)
    expect(line).not.toContain("\x1b[")
  })

  it("logging.file: lines go to the file (not the console), rotated to file.1 … file.N by size, none lost, at most file_keep kept", () => {
    const cwd = chatty("logging:\n  level: info\n  file: logs/run.log\n  file_max_bytes: 8000\n  file_keep: 9\n", 120)
    const r = agentmap(["run", "workflows/chatty.csv", "--state", '{"x":1}'], { cwd })
    expect(r.status).toBe(0)
    expect(r.stderr).not.toContain("line 0")
    const file = path.join(cwd, "logs", "run.log")
    const names = fs.readdirSync(path.dirname(file)).sort()
    expect(names.length).toBeGreaterThan(2)
    expect(names).toEqual(["run.log", ...Array.from({ length: names.length - 1 }, (_, i) => `run.log.${i + 1}`)].sort())
    for (const name of names) expect(fs.statSync(path.join(cwd, "logs", name)).size).toBeLessThanOrEqual(8000)
    // oldest first: file.N … file.1, file
    const ordered = [...names.filter((n) => n !== "run.log").sort((a, b) => Number(b.split(".").pop()) - Number(a.split(".").pop())), "run.log"]
    const all = ordered.flatMap((n) => parse(fs.readFileSync(path.join(cwd, "logs", n), "utf8")))
    expect(numbers(all)).toEqual(Array.from({ length: 120 }, (_, i) => i))
  })

  it("file_keep bounds the rotated files: the oldest are dropped, the newest lines kept in order", () => {
    const cwd = chatty("logging:\n  level: info\n  file: run.log\n  file_max_bytes: 3000\n  file_keep: 2\n", 120)
    expect(agentmap(["run", "workflows/chatty.csv", "--state", '{"x":1}'], { cwd }).status).toBe(0)
    const logs = fs.readdirSync(cwd).filter((n) => n.startsWith("run.log")).sort()
    expect(logs).toEqual(["run.log", "run.log.1", "run.log.2"])
    const kept = numbers(["run.log.2", "run.log.1", "run.log"].flatMap((n) => parse(fs.readFileSync(path.join(cwd, n), "utf8"))))
    expect(kept.at(-1)).toBe(119)
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 120 - kept.length + i))
    expect(kept.length).toBeLessThan(120)
  })

  it("the design document's log_to_file + log_file write the file; log_to_file: false keeps the console", () => {
    const cwd = chatty("logging:\n  level: info\n  log_to_file: true\n  log_file: ./agentmap.log\n", 2)
    expect(agentmap(["run", "workflows/chatty.csv", "--state", '{"x":1}'], { cwd }).status).toBe(0)
    expect(numbers(parse(fs.readFileSync(path.join(cwd, "agentmap.log"), "utf8")))).toEqual([0, 1])
    const off = chatty("logging:\n  level: info\n  log_to_file: false\n  log_file: ./agentmap.log\n", 1)
    expect(agentmap(["run", "workflows/chatty.csv", "--state", '{"x":1}'], { cwd: off }).stderr).toContain("line 0")
    expect(fs.existsSync(path.join(off, "agentmap.log"))).toBe(false)
  })

  it("a wrong value is an error naming the key (file and environment)", () => {
    const cwd = chatty("logging:\n  format: xml\n", 1)
    const r = agentmap(["run", "workflows/chatty.csv"], { cwd })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/logging\.format.*pretty, json/)
    const env = agentmap(["run", "workflows/chatty.csv"], { cwd: chatty("", 1), env: { AGENTMAP_LOGGING__FILE_MAX_BYTES: "lots" } })
    expect(env.status).not.toBe(0)
    expect(env.stderr).toContain("AGENTMAP_LOGGING__FILE_MAX_BYTES (logging.file_max_bytes)")
  })
})
