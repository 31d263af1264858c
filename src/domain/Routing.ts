/**
 * Where control goes after a node. A closed union instead of strings: the engine matches on it.
 *   Edge      — always to `targets` (several = parallel fan-out)
 *   Branch    — by the node's outcome; an empty side ends the graph there
 *   Function  — a user routing function decides, given the success and failure targets
 *   End       — no routing: the graph ends after this node
 */
export type Routing =
  | { readonly _tag: "End" }
  | { readonly _tag: "Edge"; readonly targets: ReadonlyArray<string> }
  | { readonly _tag: "Branch"; readonly success: ReadonlyArray<string>; readonly failure: ReadonlyArray<string> }
  | {
      readonly _tag: "Function"
      readonly name: string
      readonly success: ReadonlyArray<string>
      readonly failure: ReadonlyArray<string>
    }

export const FUNC_PREFIX = "func:"

/** Routing cells hold a node name or several separated by `|`; whitespace trimmed, empty parts dropped. */
export const splitTargets = (cell: string): ReadonlyArray<string> => {
  if (!cell.includes("|")) {
    const single = cell.trim()
    return single === "" ? [] : [single]
  }
  return cell
    .split("|")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
}

export const functionName = (cell: string): string | undefined => {
  if (cell.length < FUNC_PREFIX.length || !/^\s*func:/i.test(cell)) return undefined
  const trimmed = cell.trim()
  return trimmed.toLowerCase().startsWith(FUNC_PREFIX) ? trimmed.slice(FUNC_PREFIX.length).trim() : undefined
}

/** Every node name a routing can lead to (a function may also return others; those are checked when it runs). */
export const staticTargets = (routing: Routing): ReadonlyArray<string> => {
  switch (routing._tag) {
    case "End":
      return []
    case "Edge":
      return routing.targets
    case "Branch":
    case "Function":
      return [...routing.success, ...routing.failure]
  }
}

/** The next nodes for a node that finished with `success`; an empty list ends the graph. */
export const nextTargets = (routing: Routing, success: boolean): ReadonlyArray<string> => {
  switch (routing._tag) {
    case "End":
      return []
    case "Edge":
      return routing.targets
    case "Branch":
      return success ? routing.success : routing.failure
    case "Function":
      return []
  }
}

/** True when a routing can fan out to several nodes at once. */
export const canFanOut = (routing: Routing): boolean =>
  routing._tag === "Function" ||
  (routing._tag === "Edge" && routing.targets.length > 1) ||
  (routing._tag === "Branch" && (routing.success.length > 1 || routing.failure.length > 1))

/** Routing in words for listings: `{ edge: [...] }`, `{ success: [...], failure: [...] }`, `{ function: name, ... }`. */
export const describeRoutingTargets = (routing: Routing): Readonly<Record<string, ReadonlyArray<string> | string>> => {
  switch (routing._tag) {
    case "End":
      return {}
    case "Edge":
      return { edge: routing.targets }
    case "Branch":
      return { success: routing.success, failure: routing.failure }
    case "Function":
      return { function: routing.name, success: routing.success, failure: routing.failure }
  }
}
