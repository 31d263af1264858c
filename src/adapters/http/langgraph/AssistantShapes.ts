import type { Assistant } from "../../../application/Assistants.js"
import type { GraphDetail } from "../../../application/WorkflowCatalog.js"

const START = "__start__"
const END = "__end__"
const since = new Date().toISOString()

/** The LangGraph Assistant document of a graph. */
export const assistantDocument = (a: Assistant, description: string | null = null) => ({
  assistant_id: a.assistant_id,
  graph_id: a.graph_id,
  name: a.graph,
  description,
  config: {},
  context: {},
  metadata: { workflow: a.workflow, graph: a.graph, assistant_uuid: a.uuid },
  version: 1,
  created_at: since,
  updated_at: since
})

const targets = (t: ReadonlyArray<string> | string | undefined): ReadonlyArray<string> => (t === undefined ? [] : typeof t === "string" ? [t] : t)

/** `{ nodes, edges }` as LangGraph's getGraph answers: `__start__` to the entry, routes to `__end__` where a node ends the run. */
export const graphDocument = (g: GraphDetail) => {
  const nodes = [
    { id: START, type: "schema", data: START },
    ...g.nodes.map((n) => ({ id: n.name, type: "runnable", data: { id: ["agentmap", n.agent_type], name: n.name, agent_type: n.agent_type, description: n.description } })),
    { id: END, type: "schema", data: END }
  ]
  const edges: Array<{ source: string; target: string; conditional: boolean; data?: string }> = [{ source: START, target: g.entry, conditional: false }]
  for (const n of g.nodes) {
    const next = n.next
    if (next["edge"] !== undefined) for (const t of targets(next["edge"])) edges.push({ source: n.name, target: t, conditional: false })
    else if (next["success"] !== undefined || next["failure"] !== undefined)
      for (const label of ["success", "failure"] as const) {
        const to = targets(next[label])
        for (const t of to.length === 0 ? [END] : to) edges.push({ source: n.name, target: t, conditional: true, data: label })
      }
    else edges.push({ source: n.name, target: END, conditional: false })
  }
  return { nodes, edges }
}

const object = (title: string, keys: ReadonlyArray<string>) => ({
  type: "object",
  title,
  properties: Object.fromEntries([...new Set(keys)].map((k) => [k, {}])),
  additionalProperties: true
})

/** JSON Schemas from the CSV's fields (any type): input = fields nodes read that no node writes (all read fields if none), output = written fields, state = both. */
export const schemasDocument = (a: Assistant, g: GraphDetail) => {
  const read = g.nodes.flatMap((n) => n.inputs)
  const written = g.nodes.flatMap((n) => n.outputs)
  const external = read.filter((k) => !written.includes(k))
  return {
    graph_id: a.graph_id,
    input_schema: object(`${g.graph} input`, external.length > 0 ? external : read),
    output_schema: object(`${g.graph} output`, written),
    state_schema: object(`${g.graph} state`, [...read, ...written]),
    config_schema: { type: "object", title: "Configurable", properties: {} },
    context_schema: { type: "object", title: "Context", properties: {} }
  }
}
