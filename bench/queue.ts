// The background-run queue: pickup latency of an idle consumer (submit → handler start, one job at
// a time, p50/p99) and the throughput of 500 no-op jobs, for PostgreSQL (graphile-worker,
// LISTEN/NOTIFY) and SQLite (WAL-watch wake-ups), each consumer a separate process as in
// production (test/support/queueConsumer.ts). Prints numbers; asserts nothing.
//   node --import tsx bench/queue.ts [pickups] [jobs]        (npm run bench:queue)
import { Effect } from "effect"
import { openWorld, percentile, pickupLatencies, waitFor } from "../test/support/queueProcesses.js"

const pickups = Number(process.argv[2] ?? 100)
const jobs = Number(process.argv[3] ?? 500)
const CONCURRENCY = 4

const measure = async (backend: "postgres" | "sqlite") => {
  const world = await openWorld(backend)
  try {
    await world.consumer(CONCURRENCY, 0)
    const latencies = await pickupLatencies(world, pickups, "pickup")
    const started = Date.now()
    await Effect.runPromise(Effect.forEach(Array.from({ length: jobs }, (_, i) => `tp-${i}`), (id) => world.queue.submit({ run_id: id, thread_id: id }), { discard: true, concurrency: 8 }))
    const submitted = Date.now()
    await waitFor(async () => (await world.done()).length >= pickups + jobs, `${jobs} jobs`, 300_000)
    const finished = Date.now()
    return {
      backend,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      submitPerSecond: Math.round((jobs * 1000) / Math.max(1, submitted - started)),
      jobsPerSecond: Math.round((jobs * 1000) / Math.max(1, finished - started))
    }
  } finally {
    await world.close()
  }
}

const rows = [await measure("postgres"), await measure("sqlite")]
console.log(`queue bench: ${pickups} pickups on an idle consumer (one process, concurrency ${CONCURRENCY}), then ${jobs} no-op jobs submitted 8 at a time`)
console.log("backend    pickup p50   pickup p99   max      submit/s   end-to-end jobs/s")
for (const r of rows)
  console.log(`${r.backend.padEnd(10)} ${`${r.p50} ms`.padEnd(12)} ${`${r.p99} ms`.padEnd(12)} ${`${r.max} ms`.padEnd(8)} ${String(r.submitPerSecond).padEnd(10)} ${r.jobsPerSecond}`)
