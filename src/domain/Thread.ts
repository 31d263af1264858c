import { Schema } from "effect"
import { RunResult } from "./RunResult.js"

export const ThreadStatus = Schema.Literal("running", "suspended", "completed", "failed")
export type ThreadStatus = typeof ThreadStatus.Type

/** The interrupt a suspended thread waits on; `id` identifies it for claiming. */
export const PendingInterrupt = Schema.Struct({
  id: Schema.String,
  node: Schema.String,
  type: Schema.String,
  payload: Schema.Unknown
})
export type PendingInterrupt = typeof PendingInterrupt.Type

/**
 * What a run started from: every CSV it uses (subgraphs included) by absolute path, how each
 * subgraph reference resolved, and a fingerprint of every user function it calls.
 */
export const Snapshot = Schema.Struct({
  files: Schema.Record({ key: Schema.String, value: Schema.String }),
  resolutions: Schema.Record({ key: Schema.String, value: Schema.String }),
  functions: Schema.Record({ key: Schema.String, value: Schema.String })
})
export type Snapshot = typeof Snapshot.Type

export const ThreadRecord = Schema.Struct({
  thread_id: Schema.String,
  workflow: Schema.String,
  graph: Schema.String,
  /** sha256 over the snapshot's files. */
  csv_hash: Schema.String,
  snapshot: Snapshot,
  /**
   * The state the run started from: a thread that died before its first checkpoint starts
   * again from it. Null for threads recorded before AgentMap kept it.
   */
  input: Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  status: ThreadStatus,
  interrupt: Schema.NullOr(PendingInterrupt),
  principal: Schema.NullOr(Schema.String),
  created_at: Schema.String,
  updated_at: Schema.String,
  lease_owner: Schema.NullOr(Schema.String),
  /** Epoch milliseconds; a running thread whose lease has expired is resumable. */
  lease_expires_at: Schema.NullOr(Schema.Number),
  result: Schema.NullOr(RunResult)
})
export type ThreadRecord = typeof ThreadRecord.Type
