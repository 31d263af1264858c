import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { agentmap, json } from "../support/cli.js"
import { CORPUS, CORPUS_FOUND, corpusWorkspace } from "./corpus.js"

interface Doc {
  readonly thread_id: string
  readonly status: string
  readonly interrupt?: { readonly node: string; readonly type: string; readonly payload: Record<string, unknown> }
  readonly outputs: Record<string, unknown>
  readonly execution_summary: { readonly node_executions: ReadonlyArray<{ readonly node: string }> }
}

/** Runs a corpus graph through the CLI, then answers each suspension in turn, checking where it waits. */
const walk = (file: string, graph: string, steps: ReadonlyArray<{ expect: string; args: ReadonlyArray<string> }>) => {
  const cwd = corpusWorkspace(agentmap)
  let doc = json(agentmap(["run", path.join(CORPUS, file), "--graph", graph, "--json"], { cwd })) as unknown as Doc
  for (const step of steps) {
    expect(doc.status).toBe("suspended")
    expect(doc.interrupt?.node).toBe(step.expect)
    const r = agentmap(["resume", doc.thread_id, ...step.args, "--json"], { cwd })
    expect(r.status).toBe(0)
    doc = json(r) as unknown as Doc
  }
  return doc
}

describe.skipIf(!CORPUS_FOUND)("compatibility corpus: suspended workflows resume to completion", () => {
  it("human_agent_examples DocumentApproval: input, then approval", () => {
    const done = walk("human_agent_examples.csv", "DocumentApproval", [
      { expect: "StartReview", args: ["--data", '{"text": "Q3 report"}'] },
      { expect: "ReviewDocument", args: ["approve"] }
    ])
    expect(done.status).toBe("completed")
    expect(done.outputs["approval_result"]).toBe(true)
    expect(done.execution_summary.node_executions.map((e) => e.node)).toEqual(["StartReview", "ReviewDocument", "PrepareNotification", "SendNotification"])
    expect(done.outputs["final_status"]).toBe("[PrepareNotification] DefaultAgent executed with prompt: 'Document has been approved successfully!'")
  })

  it("human_agent_examples ProjectSetup: input, text_input, then a choice", () => {
    const done = walk("human_agent_examples.csv", "ProjectSetup", [
      { expect: "GatherRequirements", args: ["--data", '"CRM rollout"'] },
      { expect: "DefineObjectives", args: ["respond", "--data", '{"text": "ship v1 by March"}'] },
      { expect: "SelectMethodology", args: ["choose", "--data", '{"choice": 3}'] }
    ])
    expect(done.status).toBe("completed")
    expect(done.outputs).toMatchObject({ initial_scope: "CRM rollout", project_objectives: "ship v1 by March", chosen_methodology: "hybrid" })
  })

  it("human_agent_examples ContentReview: an edit, then the quality check publishes it", () => {
    const done = walk("human_agent_examples.csv", "ContentReview", [
      { expect: "LoadDraft", args: ["--data", '{"value": "draft text"}'] },
      { expect: "HumanEdit", args: ["edit", "--data", '{"edited": "polished text"}'] }
    ])
    expect(done.status).toBe("completed")
    expect(done.outputs["published_result"]).toBe("Content published: polished text")
  })

  it("suspend_agent_examples BatchProcessing: input, then the external job's answer", () => {
    const done = walk("suspend_agent_examples.csv", "BatchProcessing", [
      { expect: "PrepareData", args: ["--data", '{"text": "s3://bucket/data.csv"}'] },
      { expect: "SuspendForProcessing", args: ["continue", "--data", '{"rows": 1000}'] }
    ])
    expect(done.status).toBe("completed")
    expect(done.outputs["processing_status"]).toEqual({ action: "continue", data: { rows: 1000 } })
    expect(done.execution_summary.node_executions.map((e) => e.node)).toEqual(["PrepareData", "StartBatch", "SuspendForProcessing", "CheckResults", "CompleteWorkflow"])
  })

  it("suspend_agent_examples APIIntegration: a cancelled external call takes the failure route", () => {
    const done = walk("suspend_agent_examples.csv", "APIIntegration", [
      { expect: "InitiateRequest", args: ["--data", '"GET /users"'] },
      { expect: "SuspendForResponse", args: ["cancel"] }
    ])
    expect(done.status).toBe("completed")
    expect(done.execution_summary.node_executions.map((e) => e.node)).toContain("HandleTimeout")
  })

  it("parallel_map_reduce MapReduce: the input fans out to three analysers and the scaffolded aggregator and output finish it", () => {
    const done = walk("parallel_map_reduce.csv", "MapReduce", [{ expect: "DataPrep", args: ["--data", '"sales figures"'] }])
    expect(done.status).toBe("completed")
    expect([...done.execution_summary.node_executions.map((e) => e.node)].sort()).toEqual(["Analyzer1", "Analyzer2", "Analyzer3", "DataPrep", "Output", "Summary"])
    expect(done.outputs["summary_report"]).toMatch(/^\[scaffold placeholder\] aggregator agent, node Summary/)
    expect(done.outputs["final_report"]).toMatch(/^\[scaffold placeholder\] output agent, node Output/)
  })
})
