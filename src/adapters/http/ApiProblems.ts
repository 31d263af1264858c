import { type HttpApiEndpoint, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { Diagnostic } from "../../domain/Diagnostic.js"
import { tagsWithStatus } from "./Problems.js"

/** The `diagnostics` of a 422 (and of a 500 for a broken configuration): what `validate --json` prints. */
const Diagnostics = Schema.Array(Diagnostic)

/** What each status means to a caller, as the problem schema of that status describes it. */
const MEANING: ReadonlyArray<readonly [status: number, name: string, description: string]> = [
  [400, "BadRequest", "Invalid input: malformed JSON, a body key the route does not take (the message names it and shows the expected body), a wrong type, an unknown resume action, or a name in the path that is not a repository name"],
  [401, "Unauthorized", "No credentials, or an API key or JWT that is unknown, revoked, expired or invalid"],
  [403, "Forbidden", "The credential lacks the permission this route needs"],
  [404, "NotFound", "Unknown workflow, graph or thread (a thread another principal started is not found either)"],
  [409, "Conflict", "The interrupt was already taken by another resume, the thread is running or finished, the chosen thread_id is taken, or a routing function changed since the thread started"],
  [413, "PayloadTooLarge", "The body is larger than http.max_body_bytes"],
  [422, "InvalidWorkflow", "The workflow has errors and never starts; diagnostics lists them"],
  [429, "TooManyRequests", "Rate limited (http.rate_limit); Retry-After gives the seconds to wait"],
  [500, "InternalError", "A fault on the server; the message carries the correlation id to find it in the logs"],
  [503, "StoreUnavailable", "The persistence store (SQLite file, PostgreSQL) cannot be reached"]
]

/**
 * The `{ error, message }` body of an error status, `error` limited to the tags Problems.ts
 * answers with that status (a 500 may carry any other tag, and the diagnostics of a broken
 * configuration).
 */
const problem = (status: number, name: string, description: string): Schema.Schema.Any => {
  const tags = tagsWithStatus(status)
  const open = status === 500
  const fields = {
    error: open || tags.length === 0 ? Schema.String : Schema.Literal(...(tags as [string, ...Array<string>])),
    message: Schema.String
  }
  // the status goes with the identifier: annotating a named schema again would drop its name (and inline it everywhere)
  const annotations = { identifier: `${name}Problem`, description, [HttpApiSchema.AnnotationStatus]: status }
  return status === 422 || open
    ? Schema.Struct({ ...fields, diagnostics: Schema.optional(Diagnostics) }).annotations(annotations)
    : Schema.Struct(fields).annotations(annotations)
}

const PROBLEMS = new Map(MEANING.map(([status, name, description]) => [status, problem(status, name, description)]))

export const problemFor = (status: number) => {
  const schema = PROBLEMS.get(status)
  if (schema === undefined) throw new Error(`no problem schema for HTTP ${status}`)
  return schema
}

/**
 * Declares the error statuses an endpoint answers, each with its problem body. The handlers
 * build their responses themselves (handleRaw), so the endpoint's type need not carry the errors.
 */
export const answers =
  (statuses: ReadonlyArray<number>) =>
  <E extends HttpApiEndpoint.HttpApiEndpoint.Any>(endpoint: E): E =>
    statuses.reduce(
      (e, status) => (e as unknown as HttpApiEndpoint.HttpApiEndpoint.AnyWithProps).addError(problemFor(status)) as unknown as E,
      endpoint
    )
