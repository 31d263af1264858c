import { Either } from "effect"
import type { InputBinding, OutputBinding } from "../domain/Bindings.js"
import { isJsonObject, type Json, type JsonObject } from "../domain/Json.js"

/** Input values by parameter name, for the inputs present in the state. */
export const readInputs = (bindings: ReadonlyArray<InputBinding>, state: JsonObject): Record<string, Json> => {
  const inputs: Record<string, Json> = {}
  for (const b of bindings) {
    const value = state[b.stateKey]
    if (value !== undefined) inputs[b.param] = value
  }
  return inputs
}

/** JSON-safe copy: functions and undefined vanish, as they would in any stored state. */
const toJson = (value: unknown): Json => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json))

/**
 * Maps an agent's value onto Output_Field: one key takes the whole value; several keys (or
 * `parent=child`) take fields of an object value. Anything else is the node's error.
 */
export const writeOutputs = (bindings: ReadonlyArray<OutputBinding>, value: unknown): Either.Either<JsonObject, string> => {
  if (bindings.length === 0) return Either.right({})
  if (bindings.length === 1 && bindings[0]!.source === undefined) return Either.right({ [bindings[0]!.stateKey]: toJson(value) })
  if (!isJsonObject(value)) {
    const names = bindings.map((b) => b.stateKey).join("|")
    return Either.left(
      `Output_Field '${names}' needs the agent to return an object with those keys, but it returned ${value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`}`
    )
  }
  const updates: Record<string, Json> = {}
  for (const b of bindings) {
    const field = value[b.source ?? b.stateKey]
    if (field !== undefined) updates[b.stateKey] = toJson(field)
  }
  return Either.right(updates)
}
