import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import type { ResumeRequest } from "../../src/application/Requests.js"
import { ThreadService } from "../../src/application/ThreadService.js"
import { inApp, run, withApp, workspace } from "../support/workspace.js"

const resume = async (dir: string, request: ResumeRequest) => {
  const r = await withApp(dir, (s) => s.resume(request))
  if (Either.isLeft(r)) throw new Error(`${r.left._tag}: ${r.left.message}`)
  return r.right.result
}
const refusedResume = async (dir: string, request: ResumeRequest) => {
  const r = await withApp(dir, (s) => s.resume(request))
  if (Either.isRight(r)) throw new Error(`resume ran: ${JSON.stringify(r.right.result.status)}`)
  return r.left
}
const show = async (dir: string, id: string) => {
  const r = await inApp(dir, Effect.flatMap(ThreadService, (t) => t.show(id)))
  if (Either.isLeft(r)) throw new Error(r.left.message)
  return r.right
}
const nodes = (result: { execution_summary: { node_executions: ReadonlyArray<{ node: string }> } }) => result.execution_summary.node_executions.map((e) => e.node)

const HEADER = "GraphName,Node,AgentType,Input_Fields,Output_Field,Success_Next,Failure_Next,Prompt,Context"
const approval = `${HEADER}
Review,Ask,human,doc,approved,Yes,No,Approve {doc}?,"{""interaction_type"": ""approval"", ""timeout_seconds"": 60}"
Review,Yes,echo,doc,outcome,,,published {doc},
Review,No,echo,doc,outcome,,,rejected {doc},
`

describe("human agent", () => {
  it("suspends with the interaction in the payload; approve and reject route and set the value", async () => {
    const dir = workspace({ "r.csv": approval })
    const first = await run(dir, { workflow: "r.csv", state: { doc: "README" } })
    expect(first).toMatchObject({
      status: "suspended",
      success: true,
      interrupt: { node: "Ask", type: "human", payload: { interaction_type: "approval", prompt: "Approve README?", options: [], timeout_seconds: 60 } }
    })
    const approved = await resume(dir, { thread_id: first.thread_id, action: "approve" })
    expect([approved.status, approved.outputs["approved"], approved.outputs["outcome"]]).toEqual(["completed", true, "published README"])
    const second = await run(dir, { workflow: "r.csv", state: { doc: "README" } })
    const rejected = await resume(dir, { thread_id: second.thread_id, action: "reject" })
    expect([rejected.outputs["approved"], rejected.outputs["outcome"], rejected.outputs["last_action_success"]]).toEqual([false, "rejected README", true])
    expect(nodes(rejected)).toEqual(["Ask", "No"])
  })

  it("takes a choice by number and refuses an out-of-range one without consuming the interrupt", async () => {
    const dir = workspace({
      "c.csv": `${HEADER}\nPick,Ask,human,,method,Use,,Which?,"{""interaction_type"": ""choice"", ""options"": [""agile"", ""waterfall""]}"\nPick,Use,echo,method,used,,,using {method},\n`
    })
    const first = await run(dir, { workflow: "c.csv" })
    const bad = await refusedResume(dir, { thread_id: first.thread_id, action: "choose", data: { choice: 3 } })
    expect([bad._tag, bad.message]).toEqual(["InvalidRequest", expect.stringContaining("choice 3 is out of range")])
    expect((await show(dir, first.thread_id)).thread.status).toBe("suspended")
    const done = await resume(dir, { thread_id: first.thread_id, action: "choose", data: { choice: 2 } })
    expect(done.outputs["used"]).toBe("using waterfall")
  })

  it("takes text_input from data.text and edit from data.edited, and may suspend again", async () => {
    const dir = workspace({
      "t.csv": `${HEADER}
Setup,Scope,human,,scope,Edit,,Define the scope,"{""interaction_type"": ""text_input""}"
Setup,Edit,human,scope,final,Done,,Edit {scope},"{""interaction_type"": ""edit""}"
Setup,Done,echo,final,summary,,,Final: {final},
`
    })
    const first = await run(dir, { workflow: "t.csv" })
    const second = await resume(dir, { thread_id: first.thread_id, action: "respond", data: { text: "MVP" } })
    expect(second).toMatchObject({ status: "suspended", interrupt: { node: "Edit", payload: { interaction_type: "edit", prompt: "Edit MVP" } } })
    const done = await resume(dir, { thread_id: first.thread_id, action: "edit", data: { edited: "MVP v2" } })
    expect(done.outputs["summary"]).toBe("Final: MVP v2")
    expect(nodes(done)).toEqual(["Scope", "Edit", "Done"])
  })
})

describe("suspend agent", () => {
  const csv = `${HEADER}
Batch,Wait,suspend,job,status,Ok,Fail,Job {job} submitted,"{""reason"": ""external_batch_job"", ""external_ref"": ""batch""}"
Batch,Ok,echo,status,result,,,,
Batch,Fail,echo,status,result,,,failed: {status},
`
  it("puts prompt, reason and external_ref in the payload and gives { action, data } on resume", async () => {
    const dir = workspace({ "s.csv": csv })
    const first = await run(dir, { workflow: "s.csv", state: { job: 7 } })
    expect(first.interrupt).toEqual({ node: "Wait", type: "suspend", payload: { prompt: "Job 7 submitted", reason: "external_batch_job", external_ref: "batch" } })
    const done = await resume(dir, { thread_id: first.thread_id, action: "continue", data: { rows: 10 } })
    expect(done.outputs["result"]).toEqual({ action: "continue", data: { rows: 10 } })
    const other = await run(dir, { workflow: "s.csv", state: { job: 8 } })
    const cancelled = await resume(dir, { thread_id: other.thread_id, action: "cancel" })
    expect(nodes(cancelled)).toEqual(["Wait", "Fail"])
  })
})

describe("resume semantics", () => {
  const csv = `${HEADER}\nS,Wait,suspend,,answer,,,Waiting,\n`

  it("refuses an unknown thread, a bad action, oversized data and a finished thread, leaving the interrupt in place", async () => {
    const dir = workspace({ "s.csv": csv })
    const first = await run(dir, { workflow: "s.csv" })
    expect((await refusedResume(dir, { thread_id: "no-such-thread" }))._tag).toBe("ThreadNotFound")
    expect((await refusedResume(dir, { thread_id: first.thread_id, action: "explode" })).message).toContain("unknown resume action 'explode'")
    expect((await refusedResume(dir, { thread_id: first.thread_id, data: { blob: "x".repeat(70_000) } })).message).toContain("64 KiB")
    expect((await show(dir, first.thread_id)).thread.status).toBe("suspended")
    expect((await resume(dir, { thread_id: first.thread_id })).status).toBe("completed")
    const again = await refusedResume(dir, { thread_id: first.thread_id })
    expect([again._tag, again.message]).toEqual(["ThreadFinished", expect.stringContaining("already completed")])
  })

  it("refuses a thread id that is taken", async () => {
    const dir = workspace({ "s.csv": csv })
    await run(dir, { workflow: "s.csv", thread_id: "mine" })
    const r = await withApp(dir, (s) => s.execute({ workflow: "s.csv", thread_id: "mine" }))
    expect(Either.isLeft(r) && r.left._tag).toBe("ThreadExists")
  })

  it("resumes the workflow version the thread started with", async () => {
    const dir = workspace({ "v.csv": `${HEADER}\nV,Wait,suspend,,answer,After,,,\nV,After,default,,version,,,version one,\n` })
    const first = await run(dir, { workflow: "v.csv" })
    fs.writeFileSync(path.join(dir, "v.csv"), `${HEADER}\nV,Wait,suspend,,answer,After,,,\nV,After,default,,version,,,version two,\n`)
    expect((await resume(dir, { thread_id: first.thread_id })).outputs["version"]).toBe("[After] DefaultAgent executed with prompt: 'version one'")
    const detail = await show(dir, first.thread_id)
    expect(Object.values(detail.thread.snapshot.files)[0]).toContain("version one")
  })

  it("refuses to resume when a routing function changed since the start, unless forced", async () => {
    const dir = workspace({
      "functions/pick.js": "export const pick = () => 'A'\n",
      "f.csv": "GraphName,Node,AgentType,Edge,Output_Field,Prompt\nF,Wait,suspend,func:pick,answer,\nF,A,echo,,out,took A\nF,B,echo,,out,took B\n"
    })
    const first = await run(dir, { workflow: "f.csv" })
    fs.writeFileSync(path.join(dir, "functions/pick.js"), "export const pick = () => 'B'\n")
    const refused = await refusedResume(dir, { thread_id: first.thread_id })
    expect([refused._tag, refused.message]).toEqual(["FunctionChanged", expect.stringContaining("pick")])
    expect((await show(dir, first.thread_id)).thread.status).toBe("suspended")
    const forced = await resume(dir, { thread_id: first.thread_id, force: true })
    expect(forced.status).toBe("completed")
  })

  it("suspends parallel branches one interrupt at a time and joins once after both answers", async () => {
    const dir = workspace({
      "p.csv": [
        "GraphName,Node,AgentType,Edge,Input_Fields,Output_Field,Prompt",
        "P,Start,echo,Left|Right,,start,go",
        "P,Left,suspend,Join,,left,left?",
        "P,Right,suspend,Join,,right,right?",
        "P,Join,echo,,left|right,joined,",
        ""
      ].join("\n")
    })
    const first = await run(dir, { workflow: "p.csv" })
    expect(first.interrupt?.node).toBe("Left")
    const second = await resume(dir, { thread_id: first.thread_id, data: "L" })
    expect([second.status, second.interrupt?.node]).toEqual(["suspended", "Right"])
    const done = await resume(dir, { thread_id: first.thread_id, data: "R" })
    expect(done.status).toBe("completed")
    expect(nodes(done).filter((n) => n === "Join")).toHaveLength(1)
    expect(done.outputs["joined"]).toEqual({ left: { action: "continue", data: "L" }, right: { action: "continue", data: "R" } })
  })

  it("resumes a human node inside a subgraph through the parent, routing the parent by the child's outcome", async () => {
    const dir = workspace({
      "n.csv": `GraphName,Node,AgentType,Edge,Success_Next,Failure_Next,Input_Fields,Output_Field,Prompt,Context
Parent,Call,graph,,Good,Bad,doc,review,,{workflow=::Child}
Parent,Good,default,,,,,result,good,
Parent,Bad,default,,,,,result,bad,
Child,Ask,human,,,,doc,approved,Approve {doc}?,"{""interaction_type"": ""approval""}"
`
    })
    const first = await run(dir, { workflow: "n.csv", graph: "Parent", state: { doc: "plan" } })
    expect(first.interrupt).toMatchObject({ node: "Call", type: "human", payload: { prompt: "Approve plan?" } })
    const done = await resume(dir, { thread_id: first.thread_id, action: "reject" })
    expect([done.outputs["result"], (done.outputs["review"] as Record<string, unknown>)["approved"]]).toEqual(["[Bad] DefaultAgent executed with prompt: 'bad'", false])
    expect(nodes(done)).toEqual(["Call", "Bad"])
  })
})

describe("thread snapshots", () => {
  it("cover subgraph files too: a resume runs the subgraph the thread started with", async () => {
    const dir = workspace({
      "main.csv": "GraphName,Node,AgentType,Edge,Output_Field,Context\nM,Call,graph,,child,{workflow=lib/child.csv::C}\n",
      "lib/child.csv": "GraphName,Node,AgentType,Edge,Output_Field,Prompt\nC,Wait,suspend,After,answer,\nC,After,default,,version,child one\n"
    })
    const first = await run(dir, { workflow: "main.csv" })
    expect(first.status).toBe("suspended")
    fs.writeFileSync(path.join(dir, "lib/child.csv"), "GraphName,Node,AgentType,Edge,Output_Field,Prompt\nC,Wait,suspend,After,answer,\nC,After,default,,version,child two\n")
    const done = await resume(dir, { thread_id: first.thread_id })
    expect((done.outputs["child"] as Record<string, unknown>)["version"]).toBe("[After] DefaultAgent executed with prompt: 'child one'")
    expect(Object.keys((await show(dir, first.thread_id)).thread.snapshot.files).map((f) => path.basename(f)).sort()).toEqual(["child.csv", "main.csv"])
  })
})
