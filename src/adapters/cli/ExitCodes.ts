/** Exit codes of the contract (§6). */
export const ExitCode = {
  /** Completed or suspended; for `validate`: no errors. */
  Ok: 0,
  /** The run failed. */
  Failed: 1,
  /** Something the user fixes: bad CSV, JSON, flags, config, a finished or busy thread. */
  UserError: 2,
  /** Workflow, graph, file or thread not found. */
  NotFound: 3
} as const

const NOT_FOUND = new Set(["WorkflowNotFound", "GraphNotFound", "FileNotFound", "ThreadNotFound", "KeyNotFound"])

/** Faults the user cannot fix by changing input: a store that cannot be reached. */
const FAULTS = new Set(["StoreUnavailable", "InternalError"])

/** Every tagged error a command can end with maps to one exit code. */
export const exitCodeFor = (tag: string): number =>
  NOT_FOUND.has(tag) ? ExitCode.NotFound : FAULTS.has(tag) ? ExitCode.Failed : ExitCode.UserError
