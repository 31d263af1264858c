/**
 * The SQL the PostgreSQL queue runs against graphile-worker 0.16's own tables (sql/000011.sql,
 * 000016.sql, 000017.sql of the package): `_private_jobs` (locked_by, locked_at, attempts,
 * max_attempts, run_at, key), `remove_job(key)` and `force_unlock_workers(ids)`.
 */

/** The graphile-worker task name of a background run. */
export const TASK = "agentmap_run"

/** The channel a cancel is announced on; its payload is the run id. */
export const CANCEL_CHANNEL = "agentmap_cancel"

/** First key of the session advisory lock each worker id is held under (second key: hashtext(worker id)). */
export const WORKER_LOCK_SPACE = 0x61_6d_71 // "amq"

/** Takes (for the life of the connection) the advisory lock that says "this worker id is alive". */
export const lockWorker = `SELECT pg_advisory_lock(${WORKER_LOCK_SPACE}, hashtext($1))`

/** Gives up the lock of a worker id whose worker has stopped. */
export const unlockWorker = `SELECT pg_advisory_unlock(${WORKER_LOCK_SPACE}, hashtext($1))`

/** Waiting jobs: available and due. */
export const countPending = (schema: string) => `SELECT count(*)::int AS n FROM ${schema}._private_jobs WHERE is_available AND run_at <= now()`

export const stats = (schema: string) =>
  `SELECT count(*) FILTER (WHERE is_available AND run_at <= now())::int AS pending,
          count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS in_flight,
          coalesce(floor(extract(epoch FROM now() - min(run_at) FILTER (WHERE is_available AND run_at <= now())) * 1000), 0)::float8 AS oldest_wait_ms
     FROM ${schema}._private_jobs`

export const removeJob = (schema: string) => `SELECT ${schema}.remove_job($1)`

export const notifyCancel = `SELECT pg_notify('${CANCEL_CHANNEL}', $1)`

/**
 * Worker ids holding jobs whose advisory lock nobody holds: their process died (its connection
 * closed). Jobs locked less than half a second ago are left alone: their worker may be taking its lock.
 */
export const deadWorkers = (schema: string) =>
  `SELECT DISTINCT j.locked_by AS worker_id
     FROM ${schema}._private_jobs j
    WHERE j.locked_by IS NOT NULL
      AND j.locked_at < now() - interval '500 milliseconds'
      AND NOT EXISTS (
        SELECT 1 FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND l.classid = ${WORKER_LOCK_SPACE}::int::oid AND l.objid = hashtext(j.locked_by)::oid AND l.objsubid = 2)`

export const forceUnlock = (schema: string) => `SELECT ${schema}.force_unlock_workers($1::text[])`

/** Jobs this process gave back on shutdown run again now, not after graphile's retry back-off. */
export const runNow = (schema: string) => `UPDATE ${schema}._private_jobs SET run_at = now() WHERE id = ANY($1::bigint[]) AND locked_at IS NULL`

/** Wakes idle graphile-worker workers (every process, as its add_job does) for jobs made available again. */
export const nudgeWorkers = `SELECT pg_notify('jobs:insert', json_build_object('r', random(), 'count', $1::int)::text)`
