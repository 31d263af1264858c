/**
 * The tool columns of a CSV row. `Available_Tools` lists tool names separated by `|` (or `,`),
 * each optionally with an inline description: `add("Adds two numbers")|multiply`. `*` means every
 * tool of the source. `Tool_Source` names a module (`custom_tools/math.ts`, upstream's
 * `examples/tools/calculator_tools.py`) or an MCP server (`mcp:name`).
 */
export interface ToolRef {
  readonly name: string
  /** The inline description, when the CSV gives one. */
  readonly description: string | undefined
}

export type ToolSource =
  | { readonly _tag: "None" }
  | { readonly _tag: "Module"; readonly path: string }
  | { readonly _tag: "Mcp"; readonly server: string }

export type ParsedTools = { readonly _tag: "Ok"; readonly tools: ReadonlyArray<ToolRef> } | { readonly _tag: "Invalid"; readonly message: string }

const NAME = /^[A-Za-z_*][\w.-]*$/

/** Splits on `|` and `,` outside quotes and parentheses. */
const splitEntries = (text: string): ReadonlyArray<string> => {
  const parts: Array<string> = []
  let depth = 0
  let quote: string | undefined
  let current = ""
  for (const ch of text) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined
    } else if (ch === '"' || ch === "'") quote = ch
    else if (ch === "(") depth++
    else if (ch === ")") depth = Math.max(0, depth - 1)
    else if ((ch === "|" || ch === ",") && depth === 0) {
      parts.push(current)
      current = ""
      continue
    }
    current += ch
  }
  parts.push(current)
  return parts.map((p) => p.trim()).filter((p) => p !== "")
}

const parseEntry = (entry: string): ToolRef | string => {
  const open = entry.indexOf("(")
  if (open < 0) return NAME.test(entry) ? { name: entry, description: undefined } : `'${entry}' is not a tool name`
  const name = entry.slice(0, open).trim()
  if (!NAME.test(name)) return `'${name}' is not a tool name`
  if (!entry.endsWith(")")) return `'${entry}': the description has no closing parenthesis`
  const inner = entry.slice(open + 1, -1).trim()
  const unquoted = /^(["'])([\s\S]*)\1$/.exec(inner)
  return { name, description: (unquoted?.[2] ?? inner).trim() || undefined }
}

export const parseAvailableTools = (text: string): ParsedTools => {
  const tools: Array<ToolRef> = []
  for (const entry of splitEntries(text)) {
    const parsed = parseEntry(entry)
    if (typeof parsed === "string") return { _tag: "Invalid", message: parsed }
    if (!tools.some((t) => t.name === parsed.name)) tools.push(parsed)
  }
  return { _tag: "Ok", tools }
}

export const parseToolSource = (text: string): ToolSource => {
  const trimmed = text.trim()
  if (trimmed === "") return { _tag: "None" }
  const mcp = /^mcp:\s*(.+)$/i.exec(trimmed)
  return mcp !== null ? { _tag: "Mcp", server: mcp[1]!.trim() } : { _tag: "Module", path: trimmed }
}

/** Upstream names Python files: `calculator_tools.py` is looked for as `calculator_tools.ts` (or .mts/.js/.mjs). */
export const isPythonReference = (path: string): boolean => /\.py$/i.test(path.trim())
