import { toText } from "./Json.js"

const PLACEHOLDER = /\{\{|\}\}|\{\s*([A-Za-z_][\w.-]*)\s*\}/g

/** True when the text has at least one `{field}` placeholder. */
export const hasPlaceholders = (template: string): boolean => {
  for (const m of template.matchAll(PLACEHOLDER)) if (m[1] !== undefined) return true
  return false
}

/**
 * Fills `{field}` placeholders from the node's inputs. A missing or null input renders as an empty
 * string; `{{` and `}}` are literal braces; braces around anything that is not a name are left alone.
 */
export const fill = (template: string, values: Readonly<Record<string, unknown>>): string =>
  template.replace(PLACEHOLDER, (match, name: string | undefined) => {
    if (match === "{{") return "{"
    if (match === "}}") return "}"
    return toText(values[name!])
  })
