import { isJsonObject } from "./Json.js"
import { RESUME_ACTIONS, type ResumeInput } from "./Resume.js"

/**
 * The `{ action, data }` a LangGraph `command: { resume: value }` delivers to the node the thread
 * waits at (`type` and `payload` of its pending interrupt):
 * - `{ action, data? }` as it is;
 * - one of the action words (`"approve"`, `"reject"`, ...) → that action, no data;
 * - `true` / `false` → approve / reject;
 * - anything else is the answer's data, with the action the interrupt expects: `choose` for a
 *   choice (a 1-based number or an option's text), `respond` with `{ text }` for a text input
 *   (a bare string is wrapped), `edit` with `{ edited }` for an edit, `approve`/`reject` for an
 *   approval given `{ approved }`, `continue` with the value for an `input` node or anything else.
 */
export const resumeFromValue = (value: unknown, interrupt: { readonly type: string; readonly payload: unknown } | null): ResumeInput => {
  if (isJsonObject(value) && typeof value["action"] === "string") return { action: value["action"], data: value["data"] ?? null }
  if (typeof value === "string" && (RESUME_ACTIONS as ReadonlyArray<string>).includes(value)) return { action: value, data: null }
  if (typeof value === "boolean") return { action: value ? "approve" : "reject", data: null }
  const payload = interrupt !== null && isJsonObject(interrupt.payload) ? interrupt.payload : {}
  if (interrupt?.type === "human") {
    switch (payload["interaction_type"]) {
      case "choice":
        return { action: "choose", data: value }
      case "text_input":
        return { action: "respond", data: isJsonObject(value) ? value : { text: typeof value === "string" ? value : JSON.stringify(value) } }
      case "edit":
        return { action: "edit", data: isJsonObject(value) && value["edited"] !== undefined ? value : { edited: value } }
      case "approval":
        return isJsonObject(value) && typeof value["approved"] === "boolean" ? { action: value["approved"] ? "approve" : "reject", data: value } : { action: "respond", data: value }
      default:
        return { action: "respond", data: value }
    }
  }
  return { action: "continue", data: value ?? null }
}
