import { Context, type Effect } from "effect"
import type { InvalidRequest, WorkflowNotFound } from "../domain/Errors.js"
import type { ParsedCsv } from "../domain/WorkflowRow.js"

/** Where a workflow address points: a CSV file, and the graph the address named (if any). */
export interface WorkflowLocation {
  /** Absolute path of the CSV file. */
  readonly path: string
  /** How the file is named in messages and diagnostics (relative when that is shorter). */
  readonly display: string
  readonly graph: string | undefined
}

export interface WorkflowSummary {
  /** Repository name: the CSV path relative to the repository, without `.csv`. */
  readonly name: string
  readonly location: WorkflowLocation
}

/** CSV workflows on some storage: addressing (contract §1) and reading. */
export class WorkflowRepository extends Context.Tag("agentmap/WorkflowRepository")<
  WorkflowRepository,
  {
    /** `file.csv`, `dir/file.csv::Graph`, `name`, `name::Graph`, `name/Graph` → a file and maybe a graph. */
    readonly resolve: (address: string) => Effect.Effect<WorkflowLocation, WorkflowNotFound | InvalidRequest>
    /** A workflow referenced from inside another CSV (`file.csv` relative to it, or a repository name). */
    readonly resolveFrom: (
      referencingFile: string,
      workflow: string
    ) => Effect.Effect<WorkflowLocation, WorkflowNotFound | InvalidRequest>
    /** Read and parse one CSV file. */
    readonly load: (location: WorkflowLocation) => Effect.Effect<ParsedCsv, WorkflowNotFound>
    /** Parse CSV text kept elsewhere (a thread's snapshot) as if it were the file at `location`. */
    readonly parse: (location: WorkflowLocation, text: string) => ParsedCsv
    /** A token that changes when the file changes (size and modification time), to reuse work done on it. */
    readonly version: (path: string) => Effect.Effect<string>
    /** Every CSV in the repository. */
    readonly list: Effect.Effect<ReadonlyArray<WorkflowSummary>>
  }
>() {}
