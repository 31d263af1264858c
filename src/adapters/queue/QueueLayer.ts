import type { AppConfig } from "../config/AppConfig.js"
import * as MemoryRunQueue from "./MemoryRunQueue.js"
import * as PostgresRunQueue from "./PostgresRunQueue.js"
import * as SqliteRunQueue from "./SqliteRunQueue.js"

/**
 * The background-run queue for `persistence.backend`: memory (this process only), sqlite (the
 * processes of one machine, in the stores' database file) or postgres (every server and worker on
 * that database, graphile-worker in its own schema). Connections open on first use.
 */
export const runQueue = (config: AppConfig) => {
  const p = config.persistence
  const maxPending = config.queue.maxPending
  switch (p.backend) {
    case "memory":
      return MemoryRunQueue.layer(maxPending)
    case "sqlite":
      return SqliteRunQueue.layer({ file: p.sqlitePath, maxPending, leaseMillis: p.leaseMillis })
    case "postgres":
      return PostgresRunQueue.layer({
        url: p.postgresUrl ?? "",
        schema: PostgresRunQueue.graphileSchema(p.postgresSchema),
        maxPending,
        connectTimeoutMillis: p.connectTimeoutMillis
      })
  }
}
