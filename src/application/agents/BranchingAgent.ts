import { Effect } from "effect"
import { toText } from "../../domain/Json.js"
import { type Agent, done } from "./Agent.js"

const TRUTHY = new Set(["yes", "true", "success", "1", "y", "ok", "pass", "passed"])
const CONVENTIONAL_FIELDS = ["success", "should_succeed", "succeed", "branch"]

const list = (value: unknown): ReadonlyArray<string> | undefined =>
  value === undefined || value === null
    ? undefined
    : (Array.isArray(value) ? value : [value]).map((v) => toText(v).trim().toLowerCase())

/** Takes the success or failure route from an input value (contract §4). */
export const branchingAgent: Agent = (call) => {
  const configured = call.node.context["success_field"]
  const field =
    typeof configured === "string"
      ? configured
      : (CONVENTIONAL_FIELDS.find((f) => f in call.inputs) ?? call.node.inputs[0]?.param)
  const value = field === undefined ? undefined : call.inputs[field]
  const text = toText(value).trim().toLowerCase()
  const successValues = list(call.node.context["success_values"])
  const failureValues = list(call.node.context["failure_values"])
  const success =
    successValues?.includes(text) === true
      ? true
      : failureValues?.includes(text) === true
        ? false
        : typeof value === "boolean"
          ? value
          : typeof value === "number"
            ? value !== 0
            : successValues !== undefined && failureValues === undefined
              ? false
              : TRUTHY.has(text)
  const shown = field === undefined ? "no input" : `${field} = ${value === undefined ? "missing" : JSON.stringify(value)}`
  return Effect.succeed(done(`[${call.node.name}] BranchingAgent chose the ${success ? "success" : "failure"} route (${shown})`, success))
}
