import { Either } from "effect"
import { isJsonObject } from "./Json.js"

/** The actions a resume may carry (contract §5). */
export const RESUME_ACTIONS = [
  "approve",
  "reject",
  "choose",
  "respond",
  "edit",
  "continue",
  "stop",
  "retry",
  "skip",
  "submit",
  "cancel",
  "text_input",
  "save",
  "reply",
  "end"
] as const
export type ResumeAction = (typeof RESUME_ACTIONS)[number]

/** Actions that send a suspended node down its failure route. */
export const NEGATIVE_ACTIONS: ReadonlySet<string> = new Set(["reject", "cancel", "stop", "end"])

export const MAX_RESUME_BYTES = 64 * 1024

/** What a resume delivers to the suspended node. */
export interface ResumeInput {
  readonly action: string
  readonly data: unknown
}

const bytes = (text: string) => new TextEncoder().encode(text).length

/** Checks the action and the size caps before anything is touched. */
export const checkResumeRequest = (action: string, data: unknown): Either.Either<void, string> => {
  if (!(RESUME_ACTIONS as ReadonlyArray<string>).includes(action))
    return Either.left(`unknown resume action '${action}': use one of ${RESUME_ACTIONS.join(", ")}`)
  if (bytes(action) > MAX_RESUME_BYTES) return Either.left("the resume action is larger than 64 KiB")
  const encoded = data === undefined ? "" : JSON.stringify(data)
  if (encoded !== undefined && bytes(encoded) > MAX_RESUME_BYTES) return Either.left(`the resume data is ${bytes(encoded)} bytes; the limit is 64 KiB`)
  return Either.right(undefined)
}

/** The 1-based choice of a `choice` interaction, or an option's text. */
export const chosenOption = (options: ReadonlyArray<unknown>, data: unknown): Either.Either<unknown, string> => {
  const raw = isJsonObject(data) ? data["choice"] : data
  const index = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : undefined
  if (index !== undefined) {
    return index >= 1 && index <= options.length
      ? Either.right(options[index - 1])
      : Either.left(`choice ${index} is out of range: pick 1 to ${options.length}`)
  }
  if (typeof raw === "string" && options.includes(raw)) return Either.right(raw)
  return Either.left(`a choice needs data {"choice": N} with N from 1 to ${options.length} (options: ${options.map((o) => JSON.stringify(o)).join(", ")})`)
}

/** `data.text`, `data.value`, or a bare string: the value an `input` node receives. */
export const inputValue = (data: unknown): Either.Either<unknown, string> => {
  if (typeof data === "string") return Either.right(data)
  if (isJsonObject(data)) {
    if (data["text"] !== undefined) return Either.right(data["text"])
    if (data["value"] !== undefined) return Either.right(data["value"])
  }
  return Either.left('an input resume needs data {"text": "..."}, {"value": ...} or a JSON string')
}

/**
 * Checks resume data against the waiting interrupt before the interrupt is claimed, so a resume
 * that could not be used never consumes it.
 */
export const checkAgainstInterrupt = (type: string, payload: unknown, action: string, data: unknown): Either.Either<void, string> => {
  const p = isJsonObject(payload) ? payload : {}
  if (NEGATIVE_ACTIONS.has(action)) return Either.right(undefined)
  switch (type) {
    case "input":
      return Either.map(inputValue(data), () => undefined)
    case "human":
      switch (p["interaction_type"]) {
        case "approval":
          return action === "approve" || (isJsonObject(data) && typeof data["approved"] === "boolean")
            ? Either.right(undefined)
            : Either.left("an approval needs the action approve or reject")
        case "choice":
          return Either.map(chosenOption(Array.isArray(p["options"]) ? p["options"] : [], data), () => undefined)
        case "text_input":
          return isJsonObject(data) && typeof data["text"] === "string" ? Either.right(undefined) : Either.left('a text_input needs data {"text": "..."}')
        case "edit":
          return isJsonObject(data) && data["edited"] !== undefined ? Either.right(undefined) : Either.left('an edit needs data {"edited": ...}')
        default:
          return Either.right(undefined)
      }
    default:
      return Either.right(undefined)
  }
}
