import { useState } from "preact/hooks"
import { stream } from "./api.js"
import type { NodeState } from "./Diagram.js"
import { href } from "./route.js"
import { Json, Timeline } from "./Timeline.js"
import type { GraphJson, NodeExecution, RunResult } from "./types.js"

/** The fields a run needs from its input: read by some node, written by none. */
export const inputFields = (graph: GraphJson) => {
  const written = new Set(graph.nodes.flatMap((n) => n.outputs))
  return [...new Set(graph.nodes.flatMap((n) => n.inputs))].filter((f) => !written.has(f))
}

/** Runs the graph over the stream route: nodes light up on the diagram, tokens and the timeline grow as events arrive. */
export const RunPanel = ({ graph, onStates }: { readonly graph: GraphJson; readonly onStates: (s: Record<string, NodeState>) => void }) => {
  const fields = inputFields(graph)
  const [values, setValues] = useState<Record<string, string>>({})
  const [extra, setExtra] = useState("{}")
  const [running, setRunning] = useState(false)
  const [timeline, setTimeline] = useState<ReadonlyArray<NodeExecution>>([])
  const [tokens, setTokens] = useState("")
  const [result, setResult] = useState<RunResult | undefined>()
  const [error, setError] = useState<string | undefined>()

  const run = async (e: Event) => {
    e.preventDefault()
    let state: Record<string, unknown>
    try {
      const parsed = JSON.parse(extra || "{}") as unknown
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("the JSON state must be an object")
      state = { ...(parsed as Record<string, unknown>) }
    } catch (err) {
      setError(`Initial state: ${(err as Error).message}`)
      return
    }
    for (const f of fields) if ((values[f] ?? "") !== "") state[f] = values[f]
    setError(undefined)
    setResult(undefined)
    setTimeline([])
    setTokens("")
    setRunning(true)
    const states: Record<string, NodeState> = { [graph.entry]: "running" }
    onStates({ ...states })
    const steps: NodeExecution[] = []
    try {
      await stream(`execute/${encodeURIComponent(`${graph.workflow}::${graph.graph}`)}/stream`, { state }, ({ event, data }) => {
        if (event === "node") {
          const node = String(data["node"])
          const update = (data["update"] ?? {}) as Record<string, unknown>
          const ok = !("error" in update) && update["last_action_success"] !== false
          states[node] = ok ? "succeeded" : "failed"
          for (const edge of graph.edges) if (edge.from === node && edge.kind === (ok ? "success" : "failure") && states[edge.to] === undefined) states[edge.to] = "running"
          onStates({ ...states })
          steps.push({ node, success: ok, duration_ms: Number(data["duration_ms"] ?? 0), ...(ok ? {} : { error: String(update["error"]) }) })
          setTimeline([...steps])
        } else if (event === "token") {
          const text = data["token"] ?? data["content"] ?? data["text"] ?? ""
          setTokens((t) => t + String(text))
        } else if (event === "completed" || event === "suspended" || event === "failed") {
          const final = data as unknown as RunResult
          for (const n of Object.keys(states)) if (states[n] === "running") delete states[n]
          for (const x of final.execution_summary?.node_executions ?? []) states[x.node] = x.success ? "succeeded" : "failed"
          if (final.interrupt) states[final.interrupt.node] = "running"
          onStates({ ...states })
          if ((final.execution_summary?.node_executions ?? []).length > 0) setTimeline(final.execution_summary!.node_executions!)
          setResult(final)
        } else if (event === "error") {
          setError(String(data["message"] ?? data["text"] ?? "the stream failed"))
        }
      })
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setRunning(false)
    }
  }

  return (
    <section class="card" aria-labelledby="run-title">
      <h2 id="run-title">Run</h2>
      <form onSubmit={run}>
        {fields.map((f) => (
          <div key={f} class="field">
            <label for={`field-${f}`}>{f}</label>
            <input id={`field-${f}`} name={f} value={values[f] ?? ""} onInput={(e) => setValues({ ...values, [f]: (e.target as HTMLInputElement).value })} />
          </div>
        ))}
        <div class="field">
          <label for="run-json">Initial state (JSON; the fields above are added to it)</label>
          <textarea id="run-json" rows={4} spellcheck={false} value={extra} onInput={(e) => setExtra((e.target as HTMLTextAreaElement).value)} />
        </div>
        <button type="submit" disabled={running}>
          {running ? "Running…" : "Run"}
        </button>
      </form>
      {error !== undefined ? <p role="alert" class="error">{error}</p> : null}
      <h3>Timeline</h3>
      <Timeline executions={timeline} />
      {tokens !== "" ? (
        <>
          <h3>Tokens</h3>
          <pre class="tokens" aria-live="polite">{tokens}</pre>
        </>
      ) : null}
      {result !== undefined ? (
        <div class="result" data-status={result.status}>
          <h3>
            Result: <span class={`badge ${result.status}`}>{result.status}</span>
            {result.thread_id !== undefined ? (
              <>
                {" "}
                <a href={href("threads", result.thread_id)}>thread {result.thread_id}</a>
              </>
            ) : null}
          </h3>
          {result.error ? <p class="error run-error">{result.error.message ?? result.error.tag}</p> : null}
          {(result.outputs?.["errors"] as ReadonlyArray<{ message?: string }> | undefined)?.map((x, i) => (
            <p key={i} class="error">
              {x.message}
            </p>
          ))}
          <Json value={result.outputs ?? {}} label="result outputs" />
        </div>
      ) : null}
    </section>
  )
}
