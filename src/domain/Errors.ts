import { Schema } from "effect"
import { Diagnostic } from "./Diagnostic.js"
import { didYouMean } from "./Suggest.js"

/** The workflow file (or repository entry) does not exist. */
export class WorkflowNotFound extends Schema.TaggedError<WorkflowNotFound>()("WorkflowNotFound", {
  workflow: Schema.String,
  message: Schema.String
}) {}

/** The file exists but holds no graph of that name. */
export class GraphNotFound extends Schema.TaggedError<GraphNotFound>()("GraphNotFound", {
  workflow: Schema.String,
  graph: Schema.String,
  available: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/** A graph the file does not hold, with a did-you-mean over the ones it does. */
export const graphNotFound = (workflow: string, graph: string, available: ReadonlyArray<string>) =>
  new GraphNotFound({
    workflow,
    graph,
    available,
    message: `graph '${graph}' is not in '${workflow}'${didYouMean(graph, available)}; it has: ${available.join(", ") || "no graphs"}`
  })

/** Validation found errors: the workflow never starts. */
export class InvalidWorkflow extends Schema.TaggedError<InvalidWorkflow>()("InvalidWorkflow", {
  file: Schema.String,
  diagnostics: Schema.Array(Diagnostic),
  message: Schema.String
}) {}

/** A request the user must fix: malformed state JSON, a bad address, conflicting flags. */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  message: Schema.String
}) {}

/** The configuration file has errors. */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>()("InvalidConfig", {
  file: Schema.String,
  diagnostics: Schema.Array(Diagnostic),
  message: Schema.String
}) {}

/** A file the command would create already exists. */
export class AlreadyExists extends Schema.TaggedError<AlreadyExists>()("AlreadyExists", {
  path: Schema.String,
  message: Schema.String
}) {}


/** A file the user named explicitly (a config file) does not exist. */
export class FileNotFound extends Schema.TaggedError<FileNotFound>()("FileNotFound", {
  path: Schema.String,
  message: Schema.String
}) {}

/** No thread with that id (or not one this principal may see). */
export class ThreadNotFound extends Schema.TaggedError<ThreadNotFound>()("ThreadNotFound", {
  thread_id: Schema.String,
  message: Schema.String
}) {}

/** The thread already completed or failed: there is nothing to resume. */
export class ThreadFinished extends Schema.TaggedError<ThreadFinished>()("ThreadFinished", {
  thread_id: Schema.String,
  status: Schema.String,
  message: Schema.String
}) {}

/** The thread is running (its lease is live), or its interrupt was just claimed by another resume. */
export class ThreadBusy extends Schema.TaggedError<ThreadBusy>()("ThreadBusy", {
  thread_id: Schema.String,
  message: Schema.String
}) {}

/** A caller-chosen thread id that is already taken. */
export class ThreadExists extends Schema.TaggedError<ThreadExists>()("ThreadExists", {
  thread_id: Schema.String,
  message: Schema.String
}) {}

/** A routing function changed since the thread started; resuming would mix two versions. */
export class FunctionChanged extends Schema.TaggedError<FunctionChanged>()("FunctionChanged", {
  functions: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/** The persistence store (SQLite file, PostgreSQL) cannot be used. */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()("StoreUnavailable", {
  store: Schema.String,
  message: Schema.String
}) {}

export type RequestError =
  | WorkflowNotFound
  | GraphNotFound
  | InvalidWorkflow
  | InvalidRequest
  | InvalidConfig
  | ThreadNotFound
  | ThreadFinished
  | ThreadBusy
  | ThreadExists
  | FunctionChanged
  | StoreUnavailable

/** No credentials, or credentials that do not check out. */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>()("Unauthenticated", {
  message: Schema.String
}) {}

/** Valid credentials without the permission the request needs. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  message: Schema.String
}) {}

/** An API key name that is already taken. */
export class KeyNameTaken extends Schema.TaggedError<KeyNameTaken>()("KeyNameTaken", {
  name: Schema.String,
  message: Schema.String
}) {}

/** No API key with that name or value. */
export class KeyNotFound extends Schema.TaggedError<KeyNotFound>()("KeyNotFound", {
  key: Schema.String,
  message: Schema.String
}) {}
