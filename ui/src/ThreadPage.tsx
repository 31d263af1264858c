import { useEffect, useState } from "preact/hooks"
import { get } from "./api.js"
import { InterruptForm } from "./InterruptForm.js"
import { href } from "./route.js"
import { Json, Timeline } from "./Timeline.js"
import type { Thread } from "./types.js"

/** One thread: status, node executions, state, error, and the form answering its interrupt. */
export const ThreadPage = ({ id }: { readonly id: string }) => {
  const [thread, setThread] = useState<Thread | undefined>()
  const [error, setError] = useState<string | undefined>()
  const load = () => get<Thread>(`threads/${encodeURIComponent(id)}`).then(setThread, (e: Error) => setError(e.message))
  useEffect(() => {
    setThread(undefined)
    void load()
  }, [id])
  const result = thread?.result ?? undefined
  const failures = ((result?.outputs?.["errors"] ?? []) as ReadonlyArray<{ node?: string; message?: string }>).filter((e) => e.message !== undefined)
  return (
    <main id="main">
      <p>
        <a href={href("threads")}>Threads</a> / {id}
      </p>
      <h1>Thread</h1>
      {error !== undefined ? <p role="alert" class="error">{error}</p> : null}
      {thread === undefined && error === undefined ? <p>Loading…</p> : null}
      {thread !== undefined ? (
        <>
          <dl class="facts card">
            <dt>Status</dt>
            <dd>
              <span class={`badge ${thread.status}`} data-testid="thread-status">
                {thread.status}
              </span>
            </dd>
            <dt>Workflow</dt>
            <dd>
              <a href={href("workflows", thread.workflow.split("::")[0] ?? thread.workflow, thread.graph)}>{thread.workflow}</a>
            </dd>
            <dt>Created</dt>
            <dd>{new Date(thread.created_at).toLocaleString()}</dd>
            <dt>Updated</dt>
            <dd>{new Date(thread.updated_at).toLocaleString()}</dd>
            {result?.execution_summary?.duration_ms !== undefined ? (
              <>
                <dt>Duration</dt>
                <dd>{result.execution_summary.duration_ms} ms</dd>
              </>
            ) : null}
          </dl>
          {thread.status === "suspended" && thread.interrupt !== null ? <InterruptForm threadId={thread.thread_id} interrupt={thread.interrupt} onResumed={() => void load()} /> : null}
          {result?.error || failures.length > 0 ? (
            <section class="card" aria-labelledby="errors-title">
              <h2 id="errors-title">Errors</h2>
              {result?.error ? <p class="error thread-error">{`${result.error.tag ?? "Error"}: ${result.error.message ?? ""}`}</p> : null}
              {failures.map((f, i) => (
                <p key={i} class="error">
                  {f.node !== undefined ? `${f.node}: ` : ""}
                  {f.message}
                </p>
              ))}
            </section>
          ) : null}
          <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Node executions</h2>
            <Timeline executions={result?.execution_summary?.node_executions ?? []} />
          </section>
          <section class="card" aria-labelledby="state-title">
            <h2 id="state-title">State</h2>
            <Json value={thread.values ?? result?.outputs ?? {}} label="thread state" />
          </section>
        </>
      ) : null}
    </main>
  )
}
