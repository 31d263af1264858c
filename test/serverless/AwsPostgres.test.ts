import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeHandler } from "../../src/main/aws.js"
import { chainFiles } from "../support/chain.js"
import { ROOT, agentmap } from "../support/cli.js"
import { dropSchema, freshSchema, postgresConfig } from "../support/postgres.js"
import { captureLogs, fixture, serverlessProject, token } from "../support/serverless.js"

type Proxy = { statusCode: number; body: string }
type Batch = { batchItemFailures: Array<{ itemIdentifier: string }>; results: Array<Record<string, unknown>> }

/** Two Lambda containers (two runtimes, nothing shared but PostgreSQL), as a scaled-out function would have. */
describe("AWS Lambda across containers with PostgreSQL", () => {
  const schema = freshSchema("lambda")
  let a: ReturnType<typeof makeHandler>
  let b: ReturnType<typeof makeHandler>
  let bearer: string
  let dir: string

  beforeAll(async () => {
    dir = serverlessProject(postgresConfig(schema))
    a = makeHandler({ cwd: dir, env: {} })
    b = makeHandler({ cwd: dir, env: {} })
    bearer = await token()
  })
  afterAll(() => dropSchema(schema))

  it("suspends in one container and resumes in another, over HTTP and over SQS", async () => {
    const start = (await a(
      {
        ...fixture("aws/apigw-v2-execute.json", { TOKEN: bearer }),
        rawPath: "/execute/approval",
        body: JSON.stringify({ state: { request: "a standing desk" } }),
        isBase64Encoded: false
      },
      { awsRequestId: "start" }
    )) as Proxy
    const started = JSON.parse(start.body) as { status: string; thread_id: string; interrupt: { type: string } }
    expect([start.statusCode, started.status, started.interrupt.type]).toEqual([200, "suspended", "human"])

    const resumed = (await b(fixture("aws/sqs-resume.json", { THREAD: started.thread_id }), { awsRequestId: "resume" })) as Batch
    expect(resumed.batchItemFailures).toEqual([])
    const result = resumed.results[0]!["result"] as { status: string; thread_id: string }
    expect([result.status, result.thread_id]).toEqual(["completed", started.thread_id])

    // the same message delivered again, to the other container: not run twice
    const again = (await a(fixture("aws/sqs-resume.json", { THREAD: started.thread_id }), { awsRequestId: "redelivered" })) as Batch
    expect(again.batchItemFailures).toEqual([])
    expect(again.results[0]).toMatchObject({ duplicate: true, result: { status: "completed", thread_id: started.thread_id } })
  })

  it("accepts API keys made with `agentmap auth generate-key` against the same database, and refuses them once revoked", async () => {
    const made = agentmap(["auth", "generate-key", "--name", "lambda-client", "--json"], { cwd: dir })
    expect(made.status, made.stderr).toBe(0)
    const key = (JSON.parse(made.stdout) as { key: string }).key
    const withKey = () => a(fixture("aws/function-url-execute.json", { TOKEN: key }), { awsRequestId: "key" }) as Promise<Proxy>
    const ok = await withKey()
    expect([ok.statusCode, (JSON.parse(ok.body) as { outputs: Record<string, unknown> }).outputs["output"]]).toEqual([200, "from a Function URL"])
    expect(agentmap(["auth", "revoke-key", "lambda-client"], { cwd: dir }).status).toBe(0)
    expect((await withKey()).statusCode).toBe(401)
  })

  it("runs a message delivered to two containers at once exactly once", async () => {
    const record = { ...(fixture("aws/sqs-batch.json")["Records"] as Array<Record<string, unknown>>)[0]!, messageId: "raced-message" }
    const [x, y] = (await Promise.all([a({ Records: [record] }, { awsRequestId: "x" }), b({ Records: [record] }, { awsRequestId: "y" })])) as [Batch, Batch]
    expect([...x.batchItemFailures, ...y.batchItemFailures]).toEqual([])
    const threads = [x, y].map((r) => r.results[0]!).flatMap((entry) => (entry["result"] === undefined ? [] : [(entry["result"] as { thread_id: string }).thread_id]))
    // either both report the one run (one of them as a duplicate), or the loser reports it in progress
    expect(new Set(threads).size).toBe(1)
    const entries = [x.results[0]!, y.results[0]!]
    expect(entries.filter((e) => e["duplicate"] === true || e["in_progress"] === true)).toHaveLength(1)
  })
})

/** Keys may be made later from outside (`agentmap auth generate-key` against the same database): no key yet is not a misconfiguration. */
describe("AWS Lambda on PostgreSQL with auth on, no auth.jwt and no API key yet", () => {
  const schema = freshSchema("nokey")
  afterAll(() => dropSchema(schema))

  it("warns once at init that no key exists yet, answers 401 (not 503) until one is made, then lets that key in", async () => {
    const dir = serverlessProject(postgresConfig(schema), { jwt: false })
    const handler = makeHandler({ cwd: dir, env: {} })
    const withKey = (key: string, id: string) => handler(fixture("aws/function-url-execute.json", { TOKEN: key }), { awsRequestId: id }) as Promise<Proxy>
    const { value: before, lines } = await captureLogs(() => withKey("agm_not-made-yet", "before"))
    expect(lines.filter((l) => l["level"] === "ERROR")).toEqual([])
    expect(lines.filter((l) => String(l["message"]).includes("no active API key"))).toEqual([
      expect.objectContaining({
        level: "WARN",
        correlation_id: "6f1c8d2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f",
        message:
          "authentication is on (auth.enabled) and there is no JWT configuration (auth.jwt), but the postgres store holds no active API key yet: HTTP requests answer 401 until one is created with `agentmap auth generate-key` against the same database"
      })
    ])
    expect([before.statusCode, JSON.parse(before.body)["error"]]).toEqual([401, "Unauthenticated"])
    const made = agentmap(["auth", "generate-key", "--name", "late-client", "--json"], { cwd: dir })
    expect(made.status, made.stderr).toBe(0)
    const { value: after, lines: later } = await captureLogs(() => withKey((JSON.parse(made.stdout) as { key: string }).key, "after"))
    expect([after.statusCode, (JSON.parse(after.body) as { outputs: Record<string, unknown> }).outputs["output"]]).toEqual([200, "from a Function URL"])
    expect(later.filter((l) => String(l["message"]).includes("no active API key"))).toEqual([])
  })
})

describe("AWS Lambda: a queue message whose first container died mid-run", () => {
  const schema = freshSchema("redelivery")
  afterAll(() => dropSchema(schema))

  it("runs its thread to the end when delivered again after that run's lease ran out, instead of counting as in progress", async () => {
    const dir = serverlessProject(postgresConfig(schema, "  lease_seconds: 1\n"))
    const { "chain.csv": chain, "functions/step.mjs": step } = chainFiles(4, "")
    fs.writeFileSync(path.join(dir, "workflows", "crashy.csv"), chain!)
    fs.mkdirSync(path.join(dir, "functions"), { recursive: true })
    fs.writeFileSync(path.join(dir, "functions", "step.mjs"), step!)
    const log = path.join(dir, "log.txt")
    const body = JSON.stringify({ workflow: "crashy", thread_id: "queued-order-7", state: { kill_at: "N1", log } })
    const message = { Records: [{ ...(fixture("aws/sqs-batch.json")["Records"] as Array<Record<string, unknown>>)[0]!, messageId: "died-once", body }] }
    // the first delivery, in a container (process) of its own that dies of SIGKILL in the middle of the run
    const first = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `const { makeHandler } = await import(${JSON.stringify(path.join(ROOT, "dist", "aws.mjs"))}); await makeHandler({ cwd: ${JSON.stringify(dir)}, env: {} })(${JSON.stringify(message)}, { awsRequestId: "first" })`],
      { cwd: dir, env: { PATH: process.env["PATH"] ?? "", HOME: dir }, encoding: "utf8" }
    )
    expect([first.signal, first.stderr]).toEqual(["SIGKILL", ""])
    await new Promise((r) => setTimeout(r, 1100))

    const handler = makeHandler({ cwd: dir, env: {} })
    const again = (await handler(message, { awsRequestId: "redelivered" })) as Batch
    expect(again.batchItemFailures).toEqual([])
    expect(again.results[0]).toMatchObject({ result: { status: "completed", thread_id: "queued-order-7" } })
    expect(fs.readFileSync(log, "utf8").trim().split("\n")).toEqual(["N0", "N1", "N2", "N3"])
    const third = (await handler(message, { awsRequestId: "third" })) as Batch
    expect(third.results[0]).toMatchObject({ duplicate: true, result: { status: "completed" } })
  })
})
