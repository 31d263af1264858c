import { isJsonObject, type JsonObject } from "./Json.js"
import type { NodeSpec } from "./Workflow.js"

/**
 * Which graph a `graph` node runs (contract §4):
 *   `{workflow=::Inner}`              → Local("Inner"), a graph of the same file
 *   `{workflow=file.csv::Inner}`      → External("file.csv", "Inner"), a path relative to this CSV
 *   `{workflow=team/flow::Inner}`     → External("team/flow", "Inner"), looked up in the workflow repository
 *   `{workflow_field=key}`            → FromState("key"), the address is read from state when the node runs
 *   legacy: `subgraph_name` / `graph_name` (+ `csv_path`) keys, or the Prompt holding a graph name
 */
export type SubgraphRef =
  | { readonly _tag: "Local"; readonly graph: string }
  | { readonly _tag: "External"; readonly workflow: string; readonly graph: string | undefined }
  | { readonly _tag: "FromState"; readonly field: string }

/** A reference by address (not read from state). */
export type AddressRef = Exclude<SubgraphRef, { readonly _tag: "FromState" }>

const text = (context: JsonObject, key: string): string | undefined => {
  const value = context[key]
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined
}

/** `file.csv::Inner`, `::Inner`, `file.csv`, `name::Inner`. */
export const parseAddress = (address: string): AddressRef => {
  const sep = address.indexOf("::")
  if (sep === 0) return { _tag: "Local", graph: address.slice(2).trim() }
  if (sep > 0) {
    const graph = address.slice(sep + 2).trim()
    return { _tag: "External", workflow: address.slice(0, sep).trim(), graph: graph === "" ? undefined : graph }
  }
  return { _tag: "External", workflow: address.trim(), graph: undefined }
}

/** Legacy raw-text context `subgraph_name:Inner,csv_path:file.csv` arrives as `{ context: "..." }`. */
const legacyPairs = (context: JsonObject): JsonObject => {
  const raw = text(context, "context")
  if (raw === undefined || !/^\s*\w+\s*[:=]/.test(raw)) return context
  const pairs: Record<string, string> = {}
  for (const part of raw.split(",")) {
    const m = /^\s*(\w+)\s*[:=]\s*(.*?)\s*$/.exec(part)
    if (m) pairs[m[1]!] = m[2]!
  }
  return pairs
}

export const subgraphRef = (node: NodeSpec): SubgraphRef | undefined => {
  const context = isJsonObject(node.context) ? legacyPairs(node.context) : {}
  const workflow = text(context, "workflow")
  if (workflow !== undefined) return parseAddress(workflow)
  const field = text(context, "workflow_field")
  if (field !== undefined) return { _tag: "FromState", field }
  const name = text(context, "subgraph_name") ?? text(context, "graph_name") ?? text(context, "subgraph")
  const csv = text(context, "csv_path") ?? text(context, "csv")
  if (name !== undefined) return csv === undefined ? { _tag: "Local", graph: name } : { _tag: "External", workflow: csv, graph: name }
  if (csv !== undefined) return { _tag: "External", workflow: csv, graph: undefined }
  const prompt = node.prompt.trim()
  if (prompt !== "" && !/\s/.test(prompt)) return prompt.includes("::") ? parseAddress(prompt) : { _tag: "Local", graph: prompt }
  return undefined
}

export const describeRef = (ref: SubgraphRef): string => {
  switch (ref._tag) {
    case "Local":
      return `::${ref.graph}`
    case "External":
      return ref.graph === undefined ? ref.workflow : `${ref.workflow}::${ref.graph}`
    case "FromState":
      return `the graph named in state['${ref.field}']`
  }
}
