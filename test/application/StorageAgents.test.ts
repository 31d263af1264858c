import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { run, workspace } from "../support/workspace.js"

const HEADER = "GraphName,Node,AgentType,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt,Context"
const csv = (...rows: ReadonlyArray<string>) => [HEADER, ...rows, ""].join("\n")

describe("file, CSV and JSON agents over the storage folder", () => {
  it("file_writer writes (and appends) under data/, file_reader reads it back", async () => {
    const dir = workspace({
      "f.csv": csv(
        "G,Write,file_writer,Append,,text,written,notes/summary.txt,",
        `G,Append,file_writer,Read,,more,appended,notes/summary.txt,"{""mode"": ""append""}"`,
        "G,Read,file_reader,,,,content,notes/summary.txt,"
      )
    })
    const result = await run(dir, { workflow: "f.csv", state: { text: "first line\n", more: { extra: true } } })
    expect(result.outputs["written"]).toEqual({ success: true, path: "notes/summary.txt", mode: "write", created: true, bytes: 11 })
    expect(result.outputs["content"]).toBe('first line\n{\n  "extra": true\n}\n')
    expect(fs.readFileSync(path.join(dir, "data/notes/summary.txt"), "utf8")).toBe(result.outputs["content"])
  })

  it("csv_writer appends records (the header grows for new columns), csv_reader reads them as objects", async () => {
    const dir = workspace({
      "agentmap_config.yaml": "storage:\n  base_directory: store\n",
      "c.csv": csv(
        `G,Save,csv_writer,Load,,"goal,analysis",saved,goals.csv,"{""format"": ""records"", ""mode"": ""append""}"`,
        "G,Load,csv_reader,,,,rows,goals.csv,"
      )
    })
    await run(dir, { workflow: "c.csv", state: { goal: "Run a marathon", analysis: 'Train, rest and "eat"' } })
    const second = await run(dir, { workflow: "c.csv", state: { goal: "Learn Go", analysis: "Daily practice" } })
    expect(second.outputs["saved"]).toEqual({ success: true, path: "goals.csv", mode: "append", created: false, rows_written: 1 })
    expect(second.outputs["rows"]).toEqual([
      { goal: "Run a marathon", analysis: 'Train, rest and "eat"' },
      { goal: "Learn Go", analysis: "Daily practice" }
    ])
    expect(fs.readFileSync(path.join(dir, "store/goals.csv"), "utf8")).toBe('goal,analysis\nRun a marathon,"Train, rest and ""eat"""\nLearn Go,Daily practice\n')
  })

  it("json_writer replaces or appends to an array, json_reader parses", async () => {
    const dir = workspace({
      "j.csv": csv(`G,Log,json_writer,Read,,event,logged,events.json,"{""mode"": ""append""}"`, "G,Read,json_reader,,,,events,events.json,")
    })
    await run(dir, { workflow: "j.csv", state: { event: { n: 1 } } })
    const result = await run(dir, { workflow: "j.csv", state: { event: { n: 2 } } })
    expect(result.outputs["events"]).toEqual([{ n: 1 }, { n: 2 }])
  })

  it("refuses paths that leave the storage folder: the node fails, Failure_Next runs, nothing is written outside", async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-outside-"))
    const dir = workspace({ "data/.keep": "" })
    fs.symlinkSync(outside, path.join(dir, "data", "escape"))
    for (const [target, why] of [
      ["../secret.txt", "climbs out of the storage folder ('..')"],
      [path.join(outside, "x.txt"), "is absolute: give a path inside the storage folder"],
      ["escape/x.txt", "leads outside the storage folder"]
    ] as const) {
      fs.writeFileSync(path.join(dir, "w.csv"), csv(`G,Write,file_writer,,Oops,text,r,${target},`, "G,Oops,echo,,,error,why,,"))
      const result = await run(dir, { workflow: "w.csv", state: { text: "x" } })
      expect(result.outputs["why"]).toBe(`node 'Write': storage path '${target}' ${why}`)
    }
    expect(fs.readdirSync(outside)).toEqual([])
    expect(fs.existsSync(path.join(dir, "secret.txt"))).toBe(false)
  })

  it("a missing file or bad JSON fails the node with a clear message", async () => {
    const dir = workspace({ "data/bad.json": "{ nope", "r.csv": csv("G,Read,json_reader,,Oops,,v,bad.json,", "G,Oops,echo,,,error,why,,"), "m.csv": csv("G,Read,file_reader,,Oops,,v,missing.txt,", "G,Oops,echo,,,error,why,,") })
    expect((await run(dir, { workflow: "r.csv" })).outputs["why"]).toMatch(/^node 'Read': cannot parse the JSON 'bad.json': /)
    expect((await run(dir, { workflow: "m.csv" })).outputs["why"]).toBe("node 'Read': cannot read 'missing.txt': no such file")
  })
})
