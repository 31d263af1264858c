import type { NodeExecution } from "./types.js"

const ms = (n: number | undefined) => (n === undefined ? "" : `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`)

/** Node executions in order with their durations and errors. */
export const Timeline = ({ executions }: { readonly executions: ReadonlyArray<NodeExecution> }) => {
  if (executions.length === 0) return <p class="muted">No node executions yet.</p>
  const longest = Math.max(1, ...executions.map((e) => e.duration_ms ?? 0))
  return (
    <ol class="timeline" aria-label="node executions">
      {executions.map((e, i) => (
        <li key={i} class={e.success ? "ok" : "bad"} data-node={e.node}>
          <span class="tl-name">{e.node}</span>
          <span class="tl-status">{e.success ? "succeeded" : "failed"}</span>
          <span class="tl-bar" style={{ width: `${Math.max(2, ((e.duration_ms ?? 0) / longest) * 160)}px` }} aria-hidden="true" />
          <span class="tl-ms">{ms(e.duration_ms)}</span>
          {e.error !== undefined ? <span class="error">{e.error}</span> : null}
        </li>
      ))}
    </ol>
  )
}

export const Json = ({ value, label }: { readonly value: unknown; readonly label: string }) => (
  <pre class="json" tabIndex={0} aria-label={label}>
    {JSON.stringify(value, null, 2)}
  </pre>
)
