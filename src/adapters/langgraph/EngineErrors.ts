import type { RunError } from "../../domain/RunResult.js"

/** How a run ends when LangGraph itself refused to go on: in our words (LangGraph's own are logged). */
export const engineError = (threadId: string): RunError => ({
  tag: "EngineError",
  message: `the workflow engine could not go on with thread '${threadId}' from what its checkpoints hold; the log has the engine's own message. Start the workflow again under a new thread id`
})

/** A thread that died before its first checkpoint and whose starting state was never recorded. */
export const unrecoverable = (threadId: string): RunError => ({
  tag: "NotRecoverable",
  message: `thread '${threadId}' stopped before its first checkpoint, and the state it started from was not recorded (an older AgentMap started it); run the workflow again`
})
