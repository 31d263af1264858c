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
 */
export class GroupCommitSqliteSaver extends SqliteSaver {
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
    await this.writes.write(() => this.statement(PUT).run(...row).changes)
    return { configurable: { thread_id, checkpoint_ns, checkpoint_id: checkpoint.id } }
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
    // one group entry: a task's writes are committed all or none, as before
    await this.writes.write(() => this.db.transaction(() => rows.reduce((n, row) => n + statement.run(...row).changes, 0))())
  }
}
