import * as fs from "node:fs"
import * as path from "node:path"
import { type Check, fail, ok, warn } from "../../domain/Diagnosis.js"
import type { AppConfig } from "../config/AppConfig.js"

export interface PathReport {
  /** The config key (`paths.functions`, `storage.base_directory`). */
  readonly key: string
  readonly path: string
  readonly exists: boolean
  readonly readable: boolean
  readonly writable: boolean
}

const can = (file: string, mode: number) => {
  try {
    fs.accessSync(file, mode)
    return true
  } catch {
    return false
  }
}

/** The nearest folder that exists at or above `p`: where a missing folder would be created. */
const existingAncestor = (p: string): string => {
  let dir = p
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  return dir
}

/** Folders AgentMap writes into: a read-only one is a problem, not a preference. */
const WRITTEN = new Set(["paths.cache", "storage.base_directory"])

export const pathsOf = (config: AppConfig): ReadonlyArray<readonly [string, string]> => [
  ["paths.csv_repository", config.paths.csvRepository],
  ["paths.functions", config.paths.functions],
  ["paths.custom_agents", config.paths.customAgents],
  ["paths.custom_tools", config.paths.customTools],
  ["paths.cache", config.paths.cache],
  ["paths.prompts", config.paths.promptsDirectory],
  ["storage.base_directory", config.paths.storage]
]

export const checkPaths = (config: AppConfig): { readonly reports: ReadonlyArray<PathReport>; readonly checks: ReadonlyArray<Check> } => {
  const reports = pathsOf(config).map(([key, p]): PathReport => {
    const exists = fs.existsSync(p)
    return { key, path: p, exists, readable: exists && can(p, fs.constants.R_OK), writable: can(exists ? p : existingAncestor(p), fs.constants.W_OK) }
  })
  const checks = reports.map((r): Check => {
    const isDir = r.exists && fs.statSync(r.path).isDirectory()
    if (r.exists && !isDir) return fail("paths", r.key, `${r.path} is a file, not a folder`, `set ${r.key} to a folder, or move the file away`)
    if (r.exists && !r.readable) return fail("paths", r.key, `${r.path} is not readable`, `give this user read access to ${r.path}`)
    if (!r.writable && WRITTEN.has(r.key))
      return fail("paths", r.key, `${r.path} is not writable`, `give this user write access to ${r.exists ? r.path : existingAncestor(r.path)}, or set ${r.key}`)
    if (!r.exists && r.key === "paths.csv_repository")
      return warn("paths", r.key, `${r.path} does not exist (no workflows in the repository)`, `create it (agentmap init) or set ${r.key}`)
    if (!r.exists) return ok("paths", r.key, `${r.path} (absent: created or needed only when used)`)
    return ok("paths", r.key, `${r.path} (${r.writable ? "read/write" : "read-only"})`)
  })
  return { reports, checks }
}
