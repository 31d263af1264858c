/**
 * Workflow names that arrive in requests (HTTP paths, cloud events) name workflows of the
 * repository, and nothing else: no file paths, no climbing out, no encoded separators.
 * Checked before any file is touched.
 */
export const requestNameProblem = (name: string): string | undefined => {
  const workflow = name.includes("::") ? name.slice(0, name.lastIndexOf("::")) : name
  if (workflow.trim() === "") return "the workflow name is empty"
  if (/%(2f|5c|2e|00)/i.test(workflow)) return "encoded separators and dots are not allowed in workflow names"
  if (workflow.includes("\\") || workflow.includes("\0")) return "backslashes and NUL bytes are not allowed in workflow names"
  if (workflow.startsWith("/") || /^[A-Za-z]:/.test(workflow)) return "absolute paths are not allowed: name a workflow of the repository"
  if (workflow.split("/").some((s) => s === ".." || s === "." || s === "")) return "'.', '..' and empty path segments are not allowed in workflow names"
  if (workflow.toLowerCase().endsWith(".csv")) return "name a workflow of the repository (without .csv), not a file"
  return undefined
}
