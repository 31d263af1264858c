import { PROVIDER_ALIASES } from "./Llm.js"
/**
 * The closed set of built-in agent kinds. Adding one means adding it here, which makes the
 * agent registry (a mapped type over this union) fail to compile until it is registered.
 */
export const BuiltinAgentTypes = [
  "default",
  "echo",
  "success",
  "failure",
  "branching",
  "input",
  "summary",
  "graph",
  "suspend",
  "human",
  "llm",
  "openai",
  "anthropic",
  "google",
  "orchestrator",
  "tool",
  "csv_reader",
  "csv_writer",
  "json_reader",
  "json_writer",
  "file_reader",
  "file_writer"
] as const

export type BuiltinAgentType = (typeof BuiltinAgentTypes)[number]

/** Other spellings users write for a built-in kind (after lower-casing and dropping a trailing "Agent"). */
const Aliases: Readonly<Record<string, BuiltinAgentType>> = {
  subgraph: "graph",
  ...PROVIDER_ALIASES,
  // the original's class names: CSVReaderAgent → csvreader
  csvreader: "csv_reader",
  csvwriter: "csv_writer",
  jsonreader: "json_reader",
  jsonwriter: "json_writer",
  filereader: "file_reader",
  filewriter: "file_writer"
}

/**
 * Agent types are case-insensitive, empty means `default`, and a trailing `Agent` is ignored
 * (`GraphAgent` → `graph`, `Input_Agent` → `input`).
 */
export const normalizeAgentType = (raw: string): string => {
  const lower = raw.trim().toLowerCase()
  if (lower === "") return "default"
  const stripped = lower.endsWith("agent") && lower.length > "agent".length ? lower.slice(0, -"agent".length).replace(/[_-]$/, "") : lower
  return Aliases[stripped] ?? stripped
}

export const isBuiltinAgentType = (type: string): type is BuiltinAgentType =>
  (BuiltinAgentTypes as ReadonlyArray<string>).includes(type)

/** Built-in kinds that always finish in one go (no interrupt, no subgraph that could raise one). */
const NEVER_SUSPENDS: ReadonlySet<string> = new Set<BuiltinAgentType>(["default", "echo", "success", "failure", "branching", "summary", "llm", "openai", "anthropic", "google", "orchestrator", "tool", "csv_reader", "csv_writer", "json_reader", "json_writer", "file_reader", "file_writer"])

/** Whether a node of this (normalised) type may suspend its run; unknown and custom agents may. */
export const maySuspend = (type: string): boolean => !NEVER_SUSPENDS.has(type)

/** Module file extensions a custom agent, tool or host-services module may have. */
export const MODULE_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"] as const

/**
 * The agent type a custom agent module registers, from its file name: `weather_agent.ts`,
 * `WeatherAgent.mjs` and `weather.ts` all give `weather` (the same normalisation as CSV types).
 * Undefined for files that are not modules (or are declaration files).
 */
export const customAgentTypeFromFile = (fileName: string): string | undefined => {
  if (/\.d\.m?ts$/i.test(fileName)) return undefined
  const ext = MODULE_EXTENSIONS.find((e) => fileName.toLowerCase().endsWith(e))
  if (ext === undefined) return undefined
  const base = fileName.slice(0, -ext.length)
  return base === "" ? undefined : normalizeAgentType(base)
}
