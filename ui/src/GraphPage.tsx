import { useEffect, useState } from "preact/hooks"
import { get } from "./api.js"
import { Diagram, type NodeState } from "./Diagram.js"
import { RunPanel } from "./RunPanel.js"
import { href } from "./route.js"
import type { Diagnostic, GraphJson } from "./types.js"

interface Detail {
  readonly workflow: string
  readonly graphs: ReadonlyArray<{ readonly graph: string; readonly nodes: ReadonlyArray<{ readonly name: string; readonly prompt?: string }> }>
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

const Diagnostics = ({ list }: { readonly list: ReadonlyArray<Diagnostic> }) =>
  list.length === 0 ? null : (
    <section class="card diagnostics" aria-label="validation diagnostics">
      <h2>Validation diagnostics</h2>
      <ul>
        {list.map((d, i) => (
          <li key={i} class={d.severity === "warning" ? "warn" : "error"}>
            {d.node !== undefined ? <strong>{d.node}: </strong> : null}
            {d.message}
          </li>
        ))}
      </ul>
    </section>
  )

/** A workflow: its graphs (the first one unless one is named), the diagram, node details and the run form. */
export const GraphPage = ({ workflow, graph }: { readonly workflow: string; readonly graph: string | undefined }) => {
  const [detail, setDetail] = useState<Detail | undefined>()
  const [json, setJson] = useState<GraphJson | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [selected, setSelected] = useState<string | undefined>()
  const [states, setStates] = useState<Record<string, NodeState>>({})
  // a detail still showing the previous workflow names none of this one's graphs
  const chosen = graph ?? (detail?.workflow === workflow ? detail.graphs[0]?.graph : undefined)
  useEffect(() => {
    setDetail(undefined)
    setError(undefined)
    get<Detail>(`workflows/${encodeURIComponent(workflow)}`).then(setDetail, (e: Error) => setError(e.message))
  }, [workflow])
  useEffect(() => {
    setJson(undefined)
    setStates({})
    setSelected(undefined)
    if (chosen === undefined) return
    let current = true
    get<GraphJson>(`workflows/${encodeURIComponent(`${workflow}::${chosen}`)}/graph?format=json`).then(
      (j) => current && setJson(j),
      (e: Error) => current && setError(e.message)
    )
    return () => {
      current = false
    }
  }, [workflow, chosen])
  const node = json?.nodes.find((n) => n.name === selected)
  const prompt = detail?.graphs.find((g) => g.graph === chosen)?.nodes.find((n) => n.name === selected)?.prompt
  return (
    <main id="main">
      <p>
        <a href={href("workflows")}>Workflows</a> / {workflow}
      </p>
      <h1>
        {workflow}
        {chosen !== undefined ? `::${chosen}` : ""}
      </h1>
      {error !== undefined ? <p role="alert" class="error">{error}</p> : null}
      {detail !== undefined && detail.graphs.length > 1 ? (
        <nav aria-label="graphs" class="inline">
          {detail.graphs.map((g) => (
            <a key={g.graph} href={href("workflows", workflow, g.graph)} aria-current={g.graph === chosen ? "page" : undefined}>
              {g.graph}
            </a>
          ))}
        </nav>
      ) : null}
      <Diagnostics list={[...(detail?.diagnostics ?? []), ...(json?.diagnostics ?? []).filter((d) => !(detail?.diagnostics ?? []).some((x) => x.message === d.message))]} />
      {json !== undefined ? (
        <div class="split">
          <Diagram graph={json} states={states} selected={selected} onSelect={setSelected} />
          <aside class="card" aria-live="polite" aria-label="node details">
            {node === undefined ? (
              <p class="muted">Choose a node to see its agent type, prompt, inputs and output.</p>
            ) : (
              <dl class="node-detail">
                <dt>Node</dt>
                <dd>{node.name}</dd>
                <dt>Agent type</dt>
                <dd>{node.agent}</dd>
                {node.description !== "" ? (
                  <>
                    <dt>Description</dt>
                    <dd>{node.description}</dd>
                  </>
                ) : null}
                <dt>Prompt</dt>
                <dd>{prompt ?? node.prompt ?? "—"}</dd>
                <dt>Inputs</dt>
                <dd>{node.inputs.join(", ") || "—"}</dd>
                <dt>Output</dt>
                <dd>{node.outputs.join(", ") || "—"}</dd>
              </dl>
            )}
          </aside>
        </div>
      ) : null}
      {json !== undefined && json.valid ? <RunPanel graph={json} onStates={setStates} /> : null}
    </main>
  )
}
