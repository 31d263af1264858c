import type { ThreadRecord } from "../domain/Thread.js"
import type { StateVersion, ThreadMeta } from "../ports/ThreadMetadata.js"

/** A thread as the LangGraph API sees it: a run (registry record), LangGraph metadata, or both. */
export interface ThreadView {
  readonly thread_id: string
  readonly record: ThreadRecord | undefined
  readonly meta: ThreadMeta | undefined
}

export type ViewStatus = ThreadRecord["status"] | "idle"

/** LangGraph's status words and AgentMap's: a filter in either vocabulary. */
const LANGGRAPH: Readonly<Record<string, ReadonlyArray<ViewStatus>>> = {
  idle: ["idle", "completed"],
  busy: ["running"],
  interrupted: ["suspended"],
  error: ["failed"]
}

export const matchesStatus = (status: ViewStatus, filter: string) => (LANGGRAPH[filter] ?? [filter]).includes(status)

export const statusOf = (v: ThreadView): ViewStatus => v.record?.status ?? "idle"
export const ownerOf = (v: ThreadView): string | null => v.record?.principal ?? v.meta?.principal ?? null
export const createdAt = (v: ThreadView) => v.meta?.created_at ?? v.record?.created_at ?? ""
export const updatedAt = (v: ThreadView) => [v.record?.updated_at ?? "", v.meta?.updated_at ?? ""].sort().at(-1)!

/** The run's graph as an assistant id: the registry keeps the address the run was given (`greet` or `greet::Greet`). */
const graphIdOf = (r: ThreadRecord) => (r.workflow.includes("::") ? r.workflow : `${r.workflow}::${r.graph}`)

export const metadataOf = (v: ThreadView): Record<string, unknown> => ({
  ...(v.record !== undefined ? { graph_id: graphIdOf(v.record), assistant_id: graphIdOf(v.record) } : {}),
  ...v.meta?.metadata
})

/** One entry of the thread's history: the run's last state, or a state written through the API. */
export interface StateEntry {
  readonly checkpoint_id: string
  readonly values: Record<string, unknown>
  readonly created_at: string
  readonly source: "run" | "update"
  readonly as_node: string | null
}

/** Every known state of the thread, newest first. */
export const historyOf = (v: ThreadView): ReadonlyArray<StateEntry> => {
  const run: ReadonlyArray<StateEntry> =
    v.record === undefined
      ? []
      : [{ checkpoint_id: `run-${v.thread_id}-${Date.parse(v.record.updated_at)}`, values: { ...v.record.result?.outputs }, created_at: v.record.updated_at, source: "run", as_node: null }]
  const written = (v.meta?.states ?? []).map((s: StateVersion): StateEntry => ({ checkpoint_id: s.checkpoint_id, values: s.values, created_at: s.created_at, source: "update", as_node: s.as_node }))
  return [...run, ...written].sort((a, b) => b.created_at.localeCompare(a.created_at))
}

export const valuesOf = (v: ThreadView): Record<string, unknown> => historyOf(v)[0]?.values ?? {}

const interruptOf = (v: ThreadView) => (v.record?.status === "suspended" && v.record.interrupt !== null ? v.record.interrupt : undefined)

/** The pending interrupt as LangGraph shows it, `{ value, id }`; the value is AgentMap's `{ node, type, payload }`. */
const interruptValue = (i: NonNullable<ReturnType<typeof interruptOf>>) => ({ value: { node: i.node, type: i.type, payload: i.payload }, id: i.id })

/** `{ [task_id]: [{ value, id }] }` for a suspended thread, `{}` otherwise (the task id is the interrupt's id). */
export const interruptsOf = (v: ThreadView): Record<string, ReadonlyArray<unknown>> => {
  const i = interruptOf(v)
  return i === undefined ? {} : { [i.id]: [interruptValue(i)] }
}

/** The LangGraph Thread fields next to AgentMap's own (`status` keeps AgentMap's words, plus `idle`). */
export const threadDocument = (v: ThreadView) => ({
  thread_id: v.thread_id,
  workflow: v.record?.workflow ?? null,
  graph: v.record?.graph ?? null,
  status: statusOf(v),
  interrupt: v.record?.interrupt === undefined || v.record.interrupt === null ? null : { node: v.record.interrupt.node, type: v.record.interrupt.type, payload: v.record.interrupt.payload },
  created_at: createdAt(v),
  updated_at: updatedAt(v),
  result: v.record?.result ?? null,
  metadata: metadataOf(v),
  values: valuesOf(v),
  interrupts: interruptsOf(v)
})

/** A LangGraph ThreadState for one entry of the history (`latest`: the thread's current state, which carries the pending interrupt). */
export const stateDocument = (v: ThreadView, entry: StateEntry | undefined, parent: StateEntry | undefined, latest: boolean) => {
  const i = latest ? interruptOf(v) : undefined
  const interrupts = i === undefined ? [] : [interruptValue(i)]
  const checkpoint = (id: string) => ({ thread_id: v.thread_id, checkpoint_ns: "", checkpoint_id: id, checkpoint_map: null })
  return {
    values: entry?.values ?? {},
    next: i === undefined ? [] : [i.node],
    tasks: i === undefined ? [] : [{ id: i.id, name: i.node, error: null, interrupts, checkpoint: null, state: null, result: null }],
    checkpoint: checkpoint(entry?.checkpoint_id ?? `empty-${v.thread_id}`),
    metadata: { ...metadataOf(v), source: entry === undefined ? "input" : entry.source === "run" ? "loop" : "update", ...(entry?.as_node !== null && entry?.as_node !== undefined ? { writes: { [entry.as_node]: entry.values } } : {}) },
    created_at: entry?.created_at ?? createdAt(v),
    parent_checkpoint: parent === undefined ? null : checkpoint(parent.checkpoint_id),
    interrupts
  }
}
