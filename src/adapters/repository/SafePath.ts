import * as path from "node:path"

/**
 * Repository names come from users and requests: a name is a relative, forward-slash path made of
 * plain segments. Anything that could climb out of the repository is refused before a file is touched.
 */
export const unsafeNameReason = (name: string): string | undefined => {
  if (name.trim() === "") return "the workflow name is empty"
  if (name.includes("\0")) return "the workflow name contains a NUL byte"
  if (name.includes("\\")) return "the workflow name contains a backslash"
  if (/%(2e|2f|5c|00)/i.test(name)) return "the workflow name contains an encoded separator or dot"
  if (path.posix.isAbsolute(name) || path.win32.isAbsolute(name) || /^[A-Za-z]:/.test(name)) return "the workflow name is an absolute path"
  if (name.split("/").some((segment) => segment === ".." || segment === ".")) return "the workflow name contains '.' or '..' segments"
  if (name.split("/").some((segment) => segment === "")) return "the workflow name contains an empty path segment"
  return undefined
}

/** True when `candidate` is `root` or inside it (both already resolved through symlinks). */
export const isInside = (root: string, candidate: string): boolean => {
  const relative = path.relative(root, candidate)
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative))
}
