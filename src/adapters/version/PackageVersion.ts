import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The version in agentmap's package.json, found by walking up from this module (source or bundle). */
export const packageVersion = (): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "package.json")
    try {
      const pkg = JSON.parse(fs.readFileSync(candidate, "utf8")) as { name?: string; version?: string }
      if (pkg.name === "agentmap" && pkg.version !== undefined) return pkg.version
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir)
  }
  return "0.0.0"
}
