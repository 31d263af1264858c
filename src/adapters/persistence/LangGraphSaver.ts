import type { BaseCheckpointSaver } from "@langchain/langgraph"
import { Context, type Effect } from "effect"
import type { StoreUnavailable } from "../../domain/Errors.js"

/**
 * LangGraph's own checkpoint saver for the configured backend, opened on first use
 * (adapter-internal: only the engine uses it; the application sees CheckpointStore).
 */
export class LangGraphSaver extends Context.Tag("agentmap/adapters/LangGraphSaver")<
  LangGraphSaver,
  {
    /** `undefined` runs without checkpoints (benchmark baseline only: suspending needs a saver). */
    readonly get: Effect.Effect<BaseCheckpointSaver | undefined, StoreUnavailable>
    /**
     * Checkpoints that die with the process (memory): they serve only to suspend, so a run that
     * cannot suspend skips them, and a finished thread's are dropped.
     */
    readonly ephemeral?: boolean
    /** The backend's name (`memory`, `sqlite`, `postgres`), as checkpoint spans show it. */
    readonly kind?: string
  }
>() {}
