import { HttpServerResponse } from "@effect/platform"
import { toJson } from "../../domain/Diagnostic.js"

/** The HTTP status of every error the program can end with (contract §7). Assigned here only. */
const STATUS: Readonly<Record<string, number>> = {
  InvalidRequest: 400,
  BadRequest: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  WorkflowNotFound: 404,
  GraphNotFound: 404,
  ThreadNotFound: 404,
  NotFound: 404,
  MethodNotAllowed: 405,
  ThreadBusy: 409,
  ThreadFinished: 409,
  ThreadExists: 409,
  FunctionChanged: 409,
  PayloadTooLarge: 413,
  InvalidWorkflow: 422,
  TooManyRequests: 429,
  StoreUnavailable: 503,
  InternalError: 500
}

export const statusOf = (tag: string): number => STATUS[tag] ?? 500

/** The `error` values a response with this status can carry (500 also carries any tag this table does not know). */
export const tagsWithStatus = (status: number): ReadonlyArray<string> => Object.keys(STATUS).filter((tag) => STATUS[tag] === status)

export interface Problem {
  readonly _tag: string
  readonly message: string
  readonly diagnostics?: ReadonlyArray<Parameters<typeof toJson>[0]>
}

/** Every error answers `{ error, message }` (plus diagnostics for an invalid workflow). */
export const problem = (p: Problem, headers: Readonly<Record<string, string>> = {}) =>
  HttpServerResponse.unsafeJson(
    {
      error: p._tag,
      message: p.message,
      ...(p.diagnostics !== undefined && p.diagnostics.length > 0 ? { diagnostics: p.diagnostics.map(toJson) } : {})
    },
    { status: statusOf(p._tag), headers }
  )

export const fail = (tag: string, message: string, headers: Readonly<Record<string, string>> = {}) => problem({ _tag: tag, message }, headers)
