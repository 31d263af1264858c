import { Either } from "effect"
import { requestNameProblem } from "../../domain/WorkflowName.js"

/** The raw path after `prefix` (which ends with `/`), query string dropped, or undefined when the path does not start with it. */
export const tail = (url: string, prefix: string): string | undefined => {
  const path = url.split("?")[0]!
  const at = path.indexOf(prefix)
  return at < 0 ? undefined : path.slice(at + prefix.length)
}

const decode = (raw: string): Either.Either<string, string> => {
  // encoded separators are refused before decoding, so a name can never gain a '/' or '..' here
  if (/%(2f|5c|2e|00)/i.test(raw)) return Either.left("encoded separators and dots are not allowed in workflow names")
  try {
    return Either.right(decodeURIComponent(raw))
  } catch {
    return Either.left("the path is not valid percent-encoding")
  }
}

export interface ExecuteTarget {
  /** `workflow::Graph` or a bare `workflow` (its only or first graph). */
  readonly address: string
  readonly stream: boolean
}

/**
 * `/execute/{workflow}/{graph}`, `/execute/{workflow::Graph}` (sub-folders with literal
 * slashes: `/execute/team/sales::Qualify`), a bare `/execute/{workflow}`, each with an optional
 * last segment `stream`.
 */
export const executeTarget = (raw: string): Either.Either<ExecuteTarget, string> =>
  Either.flatMap(decode(raw), (path) => {
    const segments = path.split("/")
    const stream = segments.length > 1 && segments[segments.length - 1] === "stream"
    const rest = (stream ? segments.slice(0, -1) : segments).join("/")
    const address = rest.includes("::") || !rest.includes("/") ? rest : `${rest.slice(0, rest.lastIndexOf("/"))}::${rest.slice(rest.lastIndexOf("/") + 1)}`
    const problem = requestNameProblem(address)
    return problem === undefined ? Either.right({ address, stream }) : Either.left(problem)
  })

/** `/workflows/{workflow}` or `/workflows/{workflow::Graph}`. */
export const workflowTarget = (raw: string): Either.Either<string, string> =>
  Either.flatMap(decode(raw), (address) => {
    const problem = requestNameProblem(address)
    return problem === undefined ? Either.right(address) : Either.left(problem)
  })

/** A thread id from the path (ids never contain '/', so one segment). */
export const threadTarget = (raw: string): Either.Either<string, string> =>
  Either.flatMap(decode(raw), (id) => (id === "" || id.includes("/") ? Either.left("expected one thread id") : Either.right(id)))
