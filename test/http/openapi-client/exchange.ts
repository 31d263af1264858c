// A client program written against the types openapi-typescript generates from the served
// /openapi.json. test/http/OpenApi.test.ts copies it next to those types (agentmap-api.d.ts),
// type-checks it there with tsc and runs it against `agentmap serve`; the project's own
// typecheck leaves this folder out, as the types exist only there.
import createClient from "openapi-fetch"
import type { components, paths } from "./agentmap-api.js"

/** One response of the exchange, for the test to hold against the document. */
export interface Exchanged {
  readonly path: keyof paths
  readonly method: "get" | "post"
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
}

type RunResult = components["schemas"]["RunResult"]

/** run → suspend → resume → thread → workflows, on the `approval` workflow (its Ask node waits for a person). */
export const exchange = async (baseUrl: string, apiKey: string): Promise<ReadonlyArray<Exchanged>> => {
  const client = createClient<paths>({ baseUrl, headers: { "X-API-Key": apiKey } })
  const seen: Array<Exchanged> = []
  const keep = <R extends { readonly response: Response; readonly data?: unknown; readonly error?: unknown }>(path: keyof paths, method: "get" | "post", r: R): R => {
    seen.push({ path, method, status: r.response.status, headers: r.response.headers, body: r.data ?? r.error })
    return r
  }

  const run = keep("/execute/{workflow}/{graph}", "post", await client.POST("/execute/{workflow}/{graph}", {
    params: { path: { workflow: "approval", graph: "Approval" } },
    body: { state: { doc: "Q3" } }
  }))
  if (run.data === undefined) throw new Error(`run: ${run.response.status} ${JSON.stringify(run.error)}`)
  const suspended: RunResult = run.data
  const status: "completed" | "suspended" | "failed" = suspended.status
  if (status !== "suspended" || suspended.interrupt?.node !== "Ask") throw new Error(`expected a run suspended at Ask: ${JSON.stringify(suspended)}`)

  const resumed = keep("/resume/{thread_id}", "post", await client.POST("/resume/{thread_id}", {
    params: { path: { thread_id: suspended.thread_id } },
    body: { action: "approve" }
  }))
  if (resumed.data?.status !== "completed") throw new Error(`resume: ${resumed.response.status} ${JSON.stringify(resumed.error ?? resumed.data)}`)

  // the interrupt was taken: a second resume is a 409 problem
  const again = keep("/resume/{thread_id}", "post", await client.POST("/resume/{thread_id}", { params: { path: { thread_id: suspended.thread_id } }, body: { action: "approve" } }))
  if (again.response.status !== 409 || again.error?.message === undefined) throw new Error(`second resume: ${again.response.status}`)

  const thread = keep("/threads/{thread_id}", "get", await client.GET("/threads/{thread_id}", { params: { path: { thread_id: suspended.thread_id } } }))
  const threadStatus: "running" | "suspended" | "completed" | "failed" | "idle" | undefined = thread.data?.status
  if (threadStatus !== "completed" || thread.data?.result?.outputs["outcome"] !== "Q3 is published") throw new Error(`thread: ${JSON.stringify(thread.data ?? thread.error)}`)

  const list = keep("/workflows", "get", await client.GET("/workflows"))
  if (!list.data?.workflows.some((w) => w.name === "approval" && w.graphs.includes("Approval") && w.valid)) throw new Error(`workflows: ${JSON.stringify(list.data)}`)

  const detail = keep("/workflows/{workflow}", "get", await client.GET("/workflows/{workflow}", { params: { path: { workflow: "approval::Approval" } } }))
  if (detail.data?.graphs[0]?.entry !== "Draft") throw new Error(`workflow: ${JSON.stringify(detail.data ?? detail.error)}`)

  // what the types refuse, the server refuses too: the state belongs under "state"
  // @ts-expect-error ExecuteRequest has no key `doc`
  const unwrapped: components["schemas"]["ExecuteRequest"] = { doc: "Q3" }
  const refused = keep("/execute/{workflow}", "post", await client.POST("/execute/{workflow}", { params: { path: { workflow: "approval" } }, body: unwrapped }))
  if (refused.response.status !== 400) throw new Error(`unwrapped state: ${refused.response.status}`)
  // @ts-expect-error an action the document does not list
  void (() => client.POST("/resume/{thread_id}", { params: { path: { thread_id: "t" } }, body: { action: "dance" } }))
  // @ts-expect-error a route the document does not have
  void (() => client.GET("/runs"))

  return seen
}
