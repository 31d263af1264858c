import { useEffect, useState } from "preact/hooks"
import { post } from "./api.js"
import { go, href } from "./route.js"
import type { Thread } from "./types.js"

const PAGE = 20
const STATUSES = ["", "running", "suspended", "completed", "failed", "cancelled"]

/** Threads newest first, filtered by status and by text in the workflow or id, a page at a time. */
export const Threads = ({ query }: { readonly query: URLSearchParams }) => {
  const status = query.get("status") ?? ""
  const text = query.get("q") ?? ""
  const page = Math.max(0, Number(query.get("page") ?? 0) || 0)
  const [rows, setRows] = useState<ReadonlyArray<Thread> | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [search, setSearch] = useState(text)
  useEffect(() => {
    setRows(undefined)
    post<ReadonlyArray<Thread>>("threads/search", { ...(status !== "" ? { status } : {}), limit: PAGE + 1, offset: page * PAGE, sort_by: "created_at", sort_order: "desc" }).then(
      setRows,
      (e: Error) => setError(e.message)
    )
  }, [status, page])
  const to = (s: string, q: string, p: number) => {
    const params = new URLSearchParams()
    if (s !== "") params.set("status", s)
    if (q !== "") params.set("q", q)
    if (p > 0) params.set("page", String(p))
    go(`#/threads${params.size > 0 ? `?${params}` : ""}`)
  }
  const shown = (rows ?? []).slice(0, PAGE).filter((t) => text === "" || `${t.workflow} ${t.thread_id}`.toLowerCase().includes(text.toLowerCase()))
  return (
    <main id="main">
      <h1>Threads</h1>
      <form class="filters" onSubmit={(e) => (e.preventDefault(), to(status, search, 0))}>
        <label for="status">Status</label>
        <select id="status" value={status} onChange={(e) => to((e.target as HTMLSelectElement).value, text, 0)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s === "" ? "any" : s}
            </option>
          ))}
        </select>
        <label for="search">Search this page</label>
        <input id="search" type="search" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        <button type="submit">Filter</button>
      </form>
      {error !== undefined ? <p role="alert" class="error">{error}</p> : null}
      {rows === undefined && error === undefined ? <p>Loading…</p> : null}
      {rows !== undefined ? (
        <table>
          <caption class="muted">
            Page {page + 1}, newest first{status !== "" ? `, status ${status}` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Thread</th>
              <th scope="col">Workflow</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((t) => (
              <tr key={t.thread_id} data-thread={t.thread_id}>
                <td>
                  <a href={href("threads", t.thread_id)}>{t.thread_id}</a>
                </td>
                <td>{t.workflow}</td>
                <td>
                  <span class={`badge ${t.status}`}>{t.status}</span>
                </td>
                <td>{new Date(t.created_at).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {rows !== undefined && shown.length === 0 ? <p>No threads.</p> : null}
      <nav aria-label="pages" class="inline">
        <button type="button" disabled={page === 0} onClick={() => to(status, text, page - 1)}>
          Newer
        </button>
        <button type="button" disabled={(rows?.length ?? 0) <= PAGE} onClick={() => to(status, text, page + 1)}>
          Older
        </button>
      </nav>
    </main>
  )
}
