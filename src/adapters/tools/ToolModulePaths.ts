import * as path from "node:path"
import { MODULE_EXTENSIONS } from "../../domain/AgentType.js"
import { isPythonReference } from "../../domain/ToolList.js"

/**
 * The files a Tool_Source may name, best first: the path as written (then with each module
 * extension) beside the CSV, then in `paths.custom_tools`. An upstream `.py` reference looks for
 * the module of the same name with a JS/TS extension, at its path and by its base name.
 */
export const candidates = (reference: string, csvFolder: string, customTools: string): ReadonlyArray<string> => {
  const ref = reference.trim()
  const folders = [csvFolder, customTools]
  if (isPythonReference(ref)) {
    const stem = ref.replace(/\.py$/i, "")
    const forms = [stem, path.basename(stem)]
    return [...new Set(folders.flatMap((dir) => forms.flatMap((f) => MODULE_EXTENSIONS.map((ext) => path.resolve(dir, `${f}${ext}`)))))]
  }
  const withExtension = MODULE_EXTENSIONS.some((ext) => ref.toLowerCase().endsWith(ext))
  const forms = withExtension ? [ref] : [ref, ...MODULE_EXTENSIONS.map((ext) => `${ref}${ext}`)]
  if (path.isAbsolute(ref)) return forms
  return [...new Set(folders.flatMap((dir) => [...forms, ...(withExtension ? [path.basename(ref)] : [])].map((f) => path.resolve(dir, f))))]
}
