/**
 * The SQLite queue's table, in the database file of the other stores. A job is waiting when nobody
 * holds it or its holder's lease has expired (the process died); claiming it is one UPDATE…RETURNING.
 */
export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS agentmap_run_queue (
     run_id TEXT PRIMARY KEY,
     thread_id TEXT NOT NULL,
     enqueued_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     locked_by TEXT,
     lease_until INTEGER,
     cancelled INTEGER NOT NULL DEFAULT 0
   )`,
  `CREATE INDEX IF NOT EXISTS agentmap_run_queue_waiting ON agentmap_run_queue (enqueued_at)`,
  `CREATE INDEX IF NOT EXISTS agentmap_run_queue_holder ON agentmap_run_queue (locked_by)`
]

const WAITING = `cancelled = 0 AND (locked_by IS NULL OR lease_until < @now)`

export const countPending = `SELECT count(*) AS n FROM agentmap_run_queue WHERE ${WAITING}`

/** A run is submitted once: submitting it again while its job exists changes nothing. */
export const insert = `INSERT INTO agentmap_run_queue (run_id, thread_id, enqueued_at) VALUES (@run_id, @thread_id, @now) ON CONFLICT (run_id) DO NOTHING`

export const claim = `UPDATE agentmap_run_queue
   SET locked_by = @worker, lease_until = @now + @lease, attempts = attempts + 1
 WHERE run_id = (SELECT run_id FROM agentmap_run_queue WHERE ${WAITING} ORDER BY enqueued_at LIMIT 1)
 RETURNING run_id, thread_id, attempts, enqueued_at`

export const renew = `UPDATE agentmap_run_queue SET lease_until = @now + @lease WHERE locked_by = @worker`

export const complete = `DELETE FROM agentmap_run_queue WHERE run_id = @run_id AND locked_by = @worker`

export const release = `UPDATE agentmap_run_queue SET locked_by = NULL, lease_until = NULL WHERE run_id = @run_id AND locked_by = @worker`

/** Cancel: a waiting job goes; a held one is flagged for its holder. */
export const removeWaiting = `DELETE FROM agentmap_run_queue WHERE run_id = @run_id AND (locked_by IS NULL OR lease_until < @now)`
export const flagCancel = `UPDATE agentmap_run_queue SET cancelled = 1 WHERE run_id = @run_id`

export const cancelledMine = `SELECT run_id FROM agentmap_run_queue WHERE locked_by = @worker AND cancelled = 1`

/** Cancelled jobs whose holder died: nobody will finish them. */
export const dropAbandoned = `DELETE FROM agentmap_run_queue WHERE cancelled = 1 AND (locked_by IS NULL OR lease_until < @now)`

export const stats = `SELECT
   count(*) FILTER (WHERE ${WAITING}) AS pending,
   count(*) FILTER (WHERE cancelled = 0 AND locked_by IS NOT NULL AND lease_until >= @now) AS in_flight,
   coalesce(@now - min(enqueued_at) FILTER (WHERE ${WAITING}), 0) AS oldest_wait_ms
 FROM agentmap_run_queue`
