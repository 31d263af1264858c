/**
 * The CSV columns of the AgentMap format (contract §1): canonical name, whether it is required,
 * and its aliases in precedence order (earlier wins when a file carries several).
 */
export const Columns = [
  { name: "GraphName", required: true, aliases: ["graph_name", "Graph", "WorkflowName", "workflow_name", "workflow"] },
  { name: "Node", required: true, aliases: ["node_name", "NodeName", "Step", "StepName", "name"] },
  { name: "AgentType", required: false, aliases: ["agent_type", "Agent", "Type"] },
  { name: "Prompt", required: false, aliases: ["prompt", "Instructions", "Template", "prompt_template"] },
  { name: "Description", required: false, aliases: ["description", "desc", "Details"] },
  { name: "Context", required: false, aliases: ["context", "Config", "Configuration"] },
  { name: "Input_Fields", required: false, aliases: ["input_fields", "Inputs", "InputFields"] },
  { name: "Output_Field", required: false, aliases: ["output_field", "Output", "OutputField", "Output_Fields"] },
  { name: "Edge", required: false, aliases: ["edge", "next_node", "NextNode", "Target", "next"] },
  { name: "Success_Next", required: false, aliases: ["success_next", "next_on_success", "SuccessTarget", "on_success"] },
  { name: "Failure_Next", required: false, aliases: ["failure_next", "next_on_failure", "FailureTarget", "on_failure"] },
  { name: "Tool_Source", required: false, aliases: ["tool_source", "ToolSource", "ToolFile", "ToolModule"] },
  { name: "Available_Tools", required: false, aliases: ["available_tools", "AvailableTools", "Tools", "ToolList"] }
] as const

export type Column = (typeof Columns)[number]["name"]

export interface HeaderMatch {
  readonly column: Column
  /** 0 for the canonical name, 1.. for aliases in table order: lower wins. */
  readonly rank: number
}

const index = new Map<string, HeaderMatch>()
for (const c of Columns) {
  index.set(c.name.toLowerCase(), { column: c.name, rank: 0 })
  c.aliases.forEach((alias, i) => {
    if (!index.has(alias.toLowerCase())) index.set(alias.toLowerCase(), { column: c.name, rank: i + 1 })
  })
}

/** Case-insensitive header lookup. */
export const matchHeader = (header: string): HeaderMatch | undefined => index.get(header.trim().toLowerCase())

export const allHeaderNames: ReadonlyArray<string> = Columns.flatMap((c) => [c.name, ...c.aliases])
