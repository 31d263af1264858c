/** Input_Fields and Output_Field cells: which state keys a node reads and writes. */

/** `key` passes state[key] as `key`; `stateKey:param` passes state[stateKey] as `param`; `param=stateKey` likewise (graph agent form). */
export interface InputBinding {
  readonly stateKey: string
  readonly param: string
}

/** `key` takes the agent's value (or its `key` field when several outputs are listed); `parent=child` copies one field back. */
export interface OutputBinding {
  readonly stateKey: string
  readonly source?: string
}

/** `|`-separated; a cell without `|` but with commas is split on commas (the original accepted both). */
export const splitList = (cell: string): ReadonlyArray<string> => {
  if (!cell.includes("|") && !cell.includes(",")) {
    const single = cell.trim()
    return single === "" ? [] : [single]
  }
  const separator = cell.includes("|") ? "|" : ","
  return cell
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
}

export const parseInputBinding = (part: string): InputBinding => {
  const eq = part.indexOf("=")
  if (eq > 0) return { param: part.slice(0, eq).trim(), stateKey: part.slice(eq + 1).trim() }
  const colon = part.indexOf(":")
  if (colon > 0) return { stateKey: part.slice(0, colon).trim(), param: part.slice(colon + 1).trim() }
  return { stateKey: part, param: part }
}

export const parseOutputBinding = (part: string): OutputBinding => {
  const eq = part.indexOf("=")
  if (eq > 0) return { stateKey: part.slice(0, eq).trim(), source: part.slice(eq + 1).trim() }
  return { stateKey: part }
}

export const parseInputs = (cell: string): ReadonlyArray<InputBinding> => splitList(cell).map(parseInputBinding)

/** Output_Field is `|`-separated only: a comma may be part of nothing we support, so it is kept for the name check to reject. */
export const parseOutputs = (cell: string): ReadonlyArray<OutputBinding> =>
  cell
    .split("|")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(parseOutputBinding)

/** State keys and parameter names: letters, digits, `_`, `-` and `.`, not starting with `-` or `.`. */
export const isValidFieldName = (name: string): boolean => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)
