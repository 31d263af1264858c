import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export interface Versions {
  readonly agentmap: string
  readonly node: string
  readonly langgraph: string
}

/**
 * LangGraph's version: the exact pin in AgentMap's package.json (the bundle compiles that copy
 * in), found by walking up from this module as the package version is.
 */
const langgraphVersion = (): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; dependencies?: Record<string, string> }
      if (pkg.name === "agentmap") return pkg.dependencies?.["@langchain/langgraph"] ?? "unknown"
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir)
  }
  return "unknown"
}

export const versions = (agentmap: string): Versions => ({ agentmap, node: process.version, langgraph: langgraphVersion() })
