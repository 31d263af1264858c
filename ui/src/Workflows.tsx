import { useEffect, useState } from "preact/hooks"
import { get } from "./api.js"
import { href } from "./route.js"
import type { WorkflowSummary } from "./types.js"

/** Every workflow of the repository with its graphs; invalid ones marked. */
export const Workflows = () => {
  const [list, setList] = useState<ReadonlyArray<WorkflowSummary> | undefined>()
  const [error, setError] = useState<string | undefined>()
  useEffect(() => {
    get<{ workflows: ReadonlyArray<WorkflowSummary> }>("workflows").then((r) => setList(r.workflows), (e: Error) => setError(e.message))
  }, [])
  return (
    <main id="main">
      <h1>Workflows</h1>
      {error !== undefined ? <p role="alert" class="error">{error}</p> : null}
      {list === undefined && error === undefined ? <p>Loading…</p> : null}
      {list !== undefined && list.length === 0 ? <p>No workflows in the repository.</p> : null}
      <ul class="cards">
        {(list ?? []).map((w) => (
          <li key={w.name} class="card">
            <h2>
              <a href={href("workflows", w.name)}>{w.name}</a> {w.valid ? null : <span class="badge bad">invalid</span>}
            </h2>
            <ul class="inline">
              {w.graphs.map((g) => (
                <li key={g}>
                  <a href={href("workflows", w.name, g)}>{g}</a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </main>
  )
}
