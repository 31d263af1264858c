import type { RunnableConfig } from "@langchain/core/runnables"
import {
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
  WRITES_IDX_MAP,
  copyCheckpoint
} from "@langchain/langgraph-checkpoint"
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite"
import type { Database } from "better-sqlite3"
import type { GroupCommit } from "./GroupCommit.js"
import { type PreparedStatements, preparedStatements } from "./PreparedStatements.js"

const PUT = `INSERT OR REPLACE INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)`
const WRITE = (verb: string) => `INSERT ${verb} INTO writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

/**
 * LangGraph's SqliteSaver (same tables, same rows) whose writes go through the connection's group
 * commit: the checkpoints of every run in flight are committed together at the next turn of the
 * event loop, and `put` / `putWrites` resolve once that commit is done, so `durability: sync`
 * still means "on disk before the next step". Statements are prepared once, not per call. Reads
 * run pending writes first.
 *
 * A finished task's writes are acknowledged once queued, not once committed: LangGraph saves the
 * step's checkpoint only after them (the state is a DeltaChannel), so waiting for their own commit
 * cost every step a second one. Queued first, they commit with that checkpoint or in a group
 * before it; if they fail, the thread's next checkpoint fails with them instead of being saved
 * without them. Error and interrupt writes end a step with no checkpoint after them: those still
 * wait for their commit. A run's input checkpoint is acknowledged the same way: LangGraph saves
 * the checkpoint the first step starts from right after it (chained on its promise, no step in
 * between), so the two share a commit.
 */
/** A thread and checkpoint namespace: whose task writes a checkpoint follows. */
const keyOf = (config: RunnableConfig) => `${config.configurable?.["thread_id"]}\u0000${config.configurable?.["checkpoint_ns"] ?? ""}`

export class GroupCommitSqliteSaver extends SqliteSaver {
  /** Per thread and namespace: task writes acknowledged before their commit, until a checkpoint is queued after them. */
  private readonly unconfirmed = new Map<string, Promise<number>>()
  /** Per thread and namespace: why such writes were not saved (rare: a failed statement or commit). */
  private readonly lost = new Map<string, unknown>()

  constructor(
    db: Database,
    private readonly writes: GroupCommit,
    /** The connection's statement cache (shared with the other stores on it). */
    private readonly statement: PreparedStatements = preparedStatements(db)
  ) {
    super(db)
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    this.writes.flush()
    // a run starts again from what was saved: an earlier run's lost writes no longer matter
    this.lost.delete(keyOf(config))
    return super.getTuple(config)
  }

  override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    this.writes.flush()
    yield* super.list(config, options)
  }

  override async deleteThread(threadId: string): Promise<void> {
    this.writes.flush()
    return super.deleteThread(threadId)
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): Promise<RunnableConfig> {
    this.setup()
    const thread_id = config.configurable?.["thread_id"] as string | undefined
    if (!thread_id) throw new Error(`Missing "thread_id" field in passed "config.configurable".`)
    const checkpoint_ns = (config.configurable?.["checkpoint_ns"] as string | undefined) ?? ""
    const parent_checkpoint_id = config.configurable?.["checkpoint_id"] as string | undefined
    const [[type1, serializedCheckpoint], [type2, serializedMetadata]] = await Promise.all([
      this.serde.dumpsTyped(copyCheckpoint(checkpoint)),
      this.serde.dumpsTyped(metadata)
    ])
    if (type1 !== type2) throw new Error("Failed to serialized checkpoint and metadata to the same type.")
    const row = [thread_id, checkpoint_ns, checkpoint.id, parent_checkpoint_id, type1, serializedCheckpoint, serializedMetadata]
    const key = keyOf(config)
    const committed = this.writes.write(() => {
      const lost = this.lost.get(key)
      this.lost.delete(key)
      // from here on the writes before it commit with this checkpoint, or fail with it
      if (this.unconfirmed.get(key) !== committed) this.unconfirmed.delete(key)
      if (lost !== undefined) {
        throw new Error(`the writes of this checkpoint's step were not saved: ${lost instanceof Error ? lost.message : String(lost)}`, { cause: lost })
      }
      try {
        return this.statement(PUT).run(...row).changes
      } catch (e) {
        if (metadata.source === "input") this.lost.set(key, e) // seen by the checkpoint after it, in this same group
        throw e
      }
    })
    // an input checkpoint commits in the group of the checkpoint after it, or before it
    if (metadata.source === "input") this.confirmLater(key, committed)
    else await committed
    return { configurable: { thread_id, checkpoint_ns, checkpoint_id: checkpoint.id } }
  }

  /** A write acknowledged before its commit: if its group fails, the thread's next checkpoint fails with it. */
  private confirmLater(key: string, committed: Promise<number>) {
    this.unconfirmed.set(key, committed)
    committed.then(
      () => this.unconfirmed.get(key) === committed && this.unconfirmed.delete(key),
      (e: unknown) => {
        if (this.unconfirmed.get(key) !== committed) return // failed together with the checkpoint queued after it
        this.unconfirmed.delete(key)
        this.lost.set(key, e) // the whole group failed: seen by the checkpoint in a later one
      }
    )
  }

  override async putWrites(config: RunnableConfig, writes: Array<PendingWrite>, taskId: string): Promise<void> {
    this.setup()
    const configurable = config.configurable ?? {}
    if (!configurable["thread_id"]) throw new Error("Missing thread_id field in config.configurable.")
    if (!configurable["checkpoint_id"]) throw new Error("Missing checkpoint_id field in config.configurable.")
    const special = WRITES_IDX_MAP as Record<string, number>
    const statement = this.statement(WRITE(writes.every(([channel]) => channel in special) ? "OR REPLACE" : "OR IGNORE"))
    const rows = await Promise.all(
      writes.map(async ([channel, value], idx) => {
        const [type, serialized] = await this.serde.dumpsTyped(value)
        return [configurable["thread_id"], configurable["checkpoint_ns"], configurable["checkpoint_id"], taskId, special[channel] ?? idx, channel, type, serialized]
      })
    )
    const key = keyOf(config)
    // one group entry: a task's writes are committed all or none
    const committed = this.writes.write(() => {
      try {
        return this.db.transaction(() => rows.reduce((n, row) => n + statement.run(...row).changes, 0))()
      } catch (e) {
        this.lost.set(key, e) // seen by a checkpoint later in this same group
        throw e
      }
    })
    if (writes.some(([channel]) => channel in special)) return void (await committed)
    this.confirmLater(key, committed)
  }
}
