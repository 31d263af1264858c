import type { AppConfig } from "../config/AppConfig.js"
import * as MemoryRunQueue from "./MemoryRunQueue.js"

/** The background-run queue for `persistence.backend` (memory: this process only). */
export const runQueue = (config: AppConfig) => MemoryRunQueue.layer(config.queue.maxPending)
