import * as fs from "node:fs"
import * as path from "node:path"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { scripted } from "../../src/adapters/llm/ScriptedLanguageModels.js"
import type { ResumeRequest } from "../../src/application/Requests.js"
import "../../src/main/index.js"
import { refused, run, withApp, workspace } from "../support/workspace.js"

const header = "graph_name,node_name,agent_type,input_fields,output_field,prompt,context,success_next,failure_next"

const validate = async (dir: string, workflow: string) => {
  const r = await withApp(dir, (s) => s.validate({ workflow }))
  if (Either.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const resume = async (dir: string, request: ResumeRequest) => {
  const r = await withApp(dir, (s) => s.resume(request))
  if (Either.isLeft(r)) return { refused: r.left.message }
  return r.right.result
}

describe("custom agents", () => {
  it("runs a TypeScript defineAgent module from custom_agents: inputs, filled prompt, context, node, and an object for a|b outputs", async () => {
    const dir = workspace({
      "workflows/w.csv": [header, `G,Shout,weather_agent,city,"loud|size","Weather for {city}","{""suffix"":""!""}",Done,`, "G,Done,echo,loud,out,,,,"].join("\n"),
      "custom_agents/weather_agent.ts": [
        `import { defineAgent, type AgentContext } from "agentmap"`,
        `export default defineAgent({`,
        `  description: "shouts",`,
        `  run: (ctx: AgentContext) => ({ loud: ctx.prompt.toUpperCase() + String(ctx.context["suffix"]) + " by " + ctx.node.name, size: Object.keys(ctx.inputs).length })`,
        `})`
      ].join("\n")
    })
    const result = await run(dir, { workflow: "w", state: { city: "Oslo" } })
    expect(result.status).toBe("completed")
    expect(result.outputs["loud"]).toBe("WEATHER FOR OSLO! by Shout")
    expect(result.outputs["size"]).toBe(1)
    expect(result.outputs["out"]).toBe("WEATHER FOR OSLO! by Shout")
    expect(result.execution_summary.node_executions[0]).toMatchObject({ node: "Shout", agent_type: "weather_agent", success: true })
  })

  it("runs a plain `export default { run }` .mjs with no imports, async, and an Effect-returning agent", async () => {
    const dir = workspace({
      "workflows/w.csv": [header, "G,A,plain,x,y,,,B,", "G,B,effectful,y,z,,,,"].join("\n"),
      "custom_agents/plain.mjs": `export default { run: async (ctx) => ctx.inputs.x * 2 }`,
      "custom_agents/EffectfulAgent.ts": `import { Effect } from "effect"\nimport { defineAgent } from "agentmap"\nexport default defineAgent({ run: (ctx) => Effect.succeed(Number(ctx.inputs["y"]) + 1) })`
    })
    const result = await run(dir, { workflow: "w", state: { x: 20 } })
    expect(result.outputs).toMatchObject({ y: 40, z: 41 })
  })

  it("treats a throw as an ordinary node failure: Failure_Next taken, message in errors, no stack in the result", async () => {
    const dir = workspace({
      "workflows/w.csv": [header, "G,A,boom,x,y,,,Ok,Recover", "G,Ok,echo,x,ok,,,,", "G,Recover,echo,x,recovered,,,,"].join("\n"),
      "custom_agents/boom.ts": `export default { run: () => { throw new Error("the sensor is offline") } }`
    })
    const result = await run(dir, { workflow: "w", state: { x: 1 } })
    expect(result.outputs["recovered"]).toBe(1)
    expect(result.outputs["ok"]).toBeUndefined()
    expect(result.outputs["last_action_success"]).toBe(true)
    const errors = result.outputs["errors"] as ReadonlyArray<{ node: string; message: string }>
    expect(errors[0]).toMatchObject({ node: "A", message: "the sensor is offline" })
    expect(JSON.stringify(result)).not.toContain("boom.ts")
    expect(JSON.stringify(result)).not.toMatch(/at .*:\d+:\d+/)
  })

  it("reports an Effect agent's tagged failure by its tag and fields, not as an empty message", async () => {
    const dir = workspace({
      "workflows/w.csv": [header, "G,A,checker,x,y,,,,Recover", "G,Recover,echo,x,recovered,,,,"].join("\n"),
      "custom_agents/checker.ts": `import { Data, Effect } from "effect"
class Negative extends Data.TaggedError("Negative")<{ readonly value: number }> {}
export default { run: (ctx: { inputs: Record<string, unknown> }) => Effect.fail(new Negative({ value: Number(ctx.inputs["x"]) })) }`
    })
    const result = await run(dir, { workflow: "w", state: { x: -3 } })
    expect(result.outputs["recovered"]).toBe(-3)
    expect((result.outputs["errors"] as ReadonlyArray<unknown>)[0]).toEqual({ node: "A", type: "Negative", message: 'Negative {"value":-3}' })
  })

  it("reports bad modules as diagnostics at the module's file and line, naming the CSV rows that use them; nothing crashes", async () => {
    const dir = workspace({
      "workflows/w.csv": [header, "G,A,syntax,x,y,,,B,", "G,B,nodefault,x,y,,,C,", "G,C,shape,x,y,,,D,", "G,D,throws,x,y,,,E,", "G,E,syntax,x,y,,,,"].join("\n"),
      "custom_agents/syntax.ts": `export default {\n  run: (ctx) => {\n    return ctx.inputs.x +\n  }\n}\n`,
      "custom_agents/nodefault.ts": `export const run = () => 1\n`,
      "custom_agents/shape.mjs": `export default { go: () => 1 }\n`,
      "custom_agents/throws.ts": `const ready = false\n\nif (!ready) throw new Error("missing API_TOKEN")\nexport default { run: () => 1 }\n`
    })
    const report = await validate(dir, "w")
    expect(report.valid).toBe(false)
    const at = (name: string) => report.diagnostics.find((d) => d.file === path.join(dir, "custom_agents", name))
    const csv = "workflows/w.csv"
    expect(at("syntax.ts")).toMatchObject({ line: 4, code: "bad-agent-module" })
    expect(at("syntax.ts")!.message).toContain(`${csv}:2 node 'A'`)
    expect(at("syntax.ts")!.message).toContain(`${csv}:6 node 'E'`)
    expect(at("nodefault.ts")!.message).toContain("no default export")
    expect(at("nodefault.ts")!.message).toContain(`${csv}:3 node 'B'`)
    expect(at("shape.mjs")!.message).toMatch(/should be defineAgent\(\{ run \}\).*keys: go/)
    expect(at("throws.ts")).toMatchObject({ line: 3 })
    expect(at("throws.ts")!.message).toContain("missing API_TOKEN")
    // run refuses the same way
    const e = await refused(dir, { workflow: "w" })
    expect(e._tag).toBe("InvalidWorkflow")
  })

  it("suggests custom types for an unknown type, and says how to create one", async () => {
    const dir = workspace({
      "workflows/w.csv": [header, "G,A,wether,x,y,,,,"].join("\n"),
      "custom_agents/weather.ts": `export default { run: () => 1 }`
    })
    const report = await validate(dir, "w")
    const d = report.diagnostics.find((x) => x.code === "unknown-agent")!
    expect(d.message).toContain("did you mean 'weather'")
    expect(d.message).toContain("agentmap scaffold")
  })

  it("gives agents the host services of paths.host_services, and refuses an agent whose required service is missing, naming it", async () => {
    const files = {
      "workflows/w.csv": [header, "G,A,lookup,id,user,,,,"].join("\n"),
      "custom_agents/lookup.ts": `import { defineAgent } from "agentmap"\nexport default defineAgent({ requires: { services: ["database"] }, run: (ctx) => (ctx.services as any).database.find(ctx.inputs["id"]) })`
    }
    const withDb = workspace({ ...files, "host_services.ts": `export default { database: { find: (id: number) => ({ id, name: "Alice" }) } }` })
    expect((await run(withDb, { workflow: "w", state: { id: 1 } })).outputs["user"]).toEqual({ id: 1, name: "Alice" })
    const without = workspace(files)
    const report = await validate(without, "w")
    const d = report.diagnostics.find((x) => x.code === "missing-service")!
    expect(d.message).toContain("requires host service 'database'")
    expect(d.line).toBe(2)
    // custom_agents.yaml may declare requirements too (and name the module, upstream's class_path style)
    const declared = workspace({
      "workflows/w.csv": [header, "G,A,db_reader,id,user,,,,"].join("\n"),
      "custom_agents/reader.ts": `export default { run: () => 1 }`,
      "custom_agents/custom_agents.yaml": `agents:\n  db_reader:\n    class_path: custom_agents.reader.ReaderAgent\n    requires:\n      services: [cache]\n`
    })
    expect((await validate(declared, "w")).diagnostics.find((x) => x.code === "missing-service")!.message).toContain("'cache'")
  })

  it("suspends from ctx.suspend and, resumed, runs the node again with the answer; a changed module is refused unless forced", async () => {
    const agent = (tag: string) =>
      `import { defineAgent } from "agentmap"\nexport default defineAgent({ run: async (ctx) => { const answer = await ctx.suspend({ question: "ok?" }); return "${tag}:" + answer.action + ":" + JSON.stringify(answer.data) } })`
    const dir = workspace({ "workflows/w.csv": [header, "G,Ask,approval,x,verdict,,,,"].join("\n"), "custom_agents/approval.ts": agent("v1") })
    const first = await run(dir, { workflow: "w", state: { x: 1 } })
    expect(first.status).toBe("suspended")
    expect(first.interrupt).toMatchObject({ node: "Ask", type: "suspend", payload: { question: "ok?" } })
    fs.writeFileSync(path.join(dir, "custom_agents/approval.ts"), agent("v2"))
    const changed = await resume(dir, { thread_id: first.thread_id, action: "approve", data: { by: "ann" } })
    expect(changed).toMatchObject({ refused: expect.stringMatching(/custom agent or tool module .*approval\.ts changed.*--force/) })
    const forced = await resume(dir, { thread_id: first.thread_id, action: "approve", data: { by: "ann" }, force: true })
    expect(forced).toMatchObject({ status: "completed", outputs: { verdict: 'v2:approve:{"by":"ann"}' } })
  })

  it("calls the run's models through ctx.llm with the node's Context provider and accounts the tokens", async () => {
    const models = scripted((r) => `answer from ${r.provider}/${r.model} to ${r.messages.at(-1)?.content}`)
    const dir = workspace({
      "workflows/w.csv": [header, `G,Ask,asker,q,a,"Be brief","{""provider"":""anthropic"",""model"":""claude-x""}",,`].join("\n"),
      "custom_agents/asker.ts": `import { defineAgent } from "agentmap"\nexport default defineAgent({ run: async (ctx) => (await ctx.llm.chat({ system: ctx.prompt, user: String(ctx.inputs["q"]) })).text })`
    })
    const result = await run(dir, { workflow: "w", state: { q: "why?" } }, { models: models.layer })
    expect(result.outputs["a"]).toBe("answer from anthropic/claude-x to why?")
    expect(models.calls[0]).toMatchObject({ provider: "anthropic", model: "claude-x", system: "Be brief" })
    expect(result.execution_summary.node_executions[0]!.llm).toMatchObject({ provider: "anthropic", model: "claude-x", output_tokens: 5 })
  })
})
