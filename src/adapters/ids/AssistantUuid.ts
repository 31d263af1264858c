import { v5 } from "uuid"

/** Fixed namespace of AgentMap assistant ids: the same graph id is the same UUID on every server. */
const NAMESPACE = "6c0e4f4e-3d0a-5b8e-9a41-8f2f6a1c7d21"

/** An assistant's UUID: uuid v5 of its graph id (`workflow::Graph`). */
export const assistantUuid = (graphId: string): string => v5(graphId, NAMESPACE)
