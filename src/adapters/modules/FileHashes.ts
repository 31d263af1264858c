import { createHash } from "node:crypto"
import * as fs from "node:fs"

/** The sha256 of a file, recomputed only when its size or modification time changes. */
export const fileHasher = () => {
  const hashes = new Map<string, { version: string; hash: string }>()
  return (file: string): string | undefined => {
    let stat: fs.Stats
    try {
      stat = fs.statSync(file)
    } catch {
      return undefined
    }
    if (!stat.isFile()) return undefined
    const version = `${stat.size}:${stat.mtimeMs}`
    const known = hashes.get(file)
    if (known?.version === version) return known.hash
    const hash = createHash("sha256").update(fs.readFileSync(file)).digest("hex")
    hashes.set(file, { version, hash })
    return hash
  }
}
