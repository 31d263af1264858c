import * as fs from "node:fs"
import * as path from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeHandler } from "../../src/main/aws.js"
import { makeHandlers as azureHandlers } from "../../src/adapters/serverless/azure/Handlers.js"
import { makeHandlers as gcpHandlers } from "../../src/adapters/serverless/gcp/Handlers.js"
import { FIXTURES, captureLogs, fixture, serverlessProject, token } from "../support/serverless.js"
import { numRuns } from "./runs.js"

type Json = ReturnType<typeof JSON.parse>

/** A fixture event with one part changed: a value replaced by any JSON, a key dropped, a string cut. */
const mutate = (event: Json, choice: number, replacement: unknown, how: "replace" | "drop" | "cut"): Json => {
  const paths: Array<Array<string | number>> = []
  const walk = (v: unknown, at: Array<string | number>) => {
    paths.push(at)
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]))
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...at, k])
  }
  walk(event, [])
  const target = paths[choice % paths.length]!
  if (target.length === 0) return how === "replace" ? replacement : event
  const copy = structuredClone(event) as Record<string | number, unknown>
  let parent: Record<string | number, unknown> = copy
  for (const key of target.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = target[target.length - 1]!
  if (how === "drop") delete parent[last]
  else if (how === "cut" && typeof parent[last] === "string") parent[last] = (parent[last] as string).slice(0, choice % 7)
  else parent[last] = replacement
  return copy
}

const fixtures = (cloud: string) => fs.readdirSync(path.join(FIXTURES, cloud)).filter((f) => f.endsWith(".json"))

const changed = (cloud: string, fill: Record<string, string>) =>
  fc.tuple(fc.constantFrom(...fixtures(cloud)), fc.nat(), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom("replace" as const, "drop" as const, "cut" as const)).map(([name, choice, replacement, how]) =>
    mutate(fixture(`${cloud}/${name}`, fill), choice, replacement, how)
  )

/** What a handler may do with an event it cannot use: answer, or throw its own DeliveryFailed — never a TypeError from deep inside. */
const settles = async (work: () => Promise<unknown>) => {
  const outcome = await work().then(
    (answer) => ({ answer: answer as { statusCode?: number; status?: number; body?: string } | undefined }),
    (e: unknown) => ({ thrown: e as Error })
  )
  if ("thrown" in outcome) {
    expect(outcome.thrown.name, String(outcome.thrown.stack).slice(0, 500)).toBe("DeliveryFailed")
    expect(outcome.thrown.message.length).toBeGreaterThan(10)
    return
  }
  const status = outcome.answer?.statusCode ?? outcome.answer?.status
  if (typeof status !== "number") return
  const body = String(outcome.answer?.body ?? "")
  expect(status, body.slice(0, 300)).toBeLessThan(500)
  if (status >= 400) expect(problem(body), `${status} ${body.slice(0, 300)}`).toBe(true)
}

const problem = (body: string) => {
  try {
    const doc = JSON.parse(body) as { error?: unknown; message?: unknown }
    return typeof doc.error === "string" && typeof doc.message === "string"
  } catch {
    return false
  }
}

describe("property: the cloud handlers decode any event into a run, an answer or a clear delivery failure", () => {
  const project = serverlessProject("persistence:\n  backend: memory\n")

  it("AWS: every kind of event, changed at random", async () => {
    const handler = makeHandler({ cwd: project, env: {} })
    const fill = { TOKEN: await token() }
    await captureLogs(() =>
      fc.assert(
        fc.asyncProperty(fc.oneof(changed("aws", fill), fc.jsonValue({ maxDepth: 4 })), fc.string({ minLength: 1, maxLength: 20 }), (event, requestId) =>
          settles(() => handler(event, { awsRequestId: requestId }))
        ),
        { numRuns: numRuns(150) }
      )
    )
  }, 600_000)

  it("Azure: queue items and HTTP requests", async () => {
    const handlers = azureHandlers({ prefix: "/api", cwd: project, env: {} })
    await captureLogs(() =>
      fc.assert(
        fc.asyncProperty(fc.oneof(changed("azure", {}), fc.jsonValue({ maxDepth: 4 }), fc.string()), fc.string({ minLength: 1, maxLength: 20 }), (item, id) =>
          settles(() => handlers.queue(item, { invocationId: id, triggerMetadata: { id } }))
        ),
        { numRuns: numRuns(100) }
      )
    )
  }, 600_000)

  it("GCP: CloudEvents (Pub/Sub, Storage) of any shape", async () => {
    const handlers = gcpHandlers({ cwd: project, env: {} })
    const event = fc.oneof(
      changed("gcp", {}).filter((e) => typeof e === "object" && e !== null && "type" in e),
      fc.record({ id: fc.string(), type: fc.constantFrom("google.cloud.pubsub.topic.v1.messagePublished", "google.cloud.storage.object.v1.finalized", "other"), data: fc.jsonValue({ maxDepth: 3 }) })
    )
    await captureLogs(() =>
      fc.assert(
        fc.asyncProperty(event, (e) => settles(() => handlers.cloudEvent(e as Parameters<typeof handlers.cloudEvent>[0]))),
        { numRuns: numRuns(100) }
      )
    )
  }, 600_000)
})
