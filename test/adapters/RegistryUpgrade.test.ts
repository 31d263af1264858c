import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, type Layer, Option } from "effect"
import pg from "pg"
import { afterAll, describe, expect, it } from "vitest"
import * as PostgresPersistence from "../../src/adapters/persistence/PostgresPersistence.js"
import * as SqlitePersistence from "../../src/adapters/persistence/SqlitePersistence.js"
import { ThreadRegistry } from "../../src/ports/ThreadRegistry.js"
import { POSTGRES_URL, dropSchema, freshSchema } from "../support/postgres.js"

/** The thread table as AgentMap created it before threads kept their input. */
const OLD_TABLE = `CREATE TABLE agentmap_threads (
  thread_id TEXT PRIMARY KEY, workflow TEXT NOT NULL, graph TEXT NOT NULL, csv_hash TEXT NOT NULL, snapshot TEXT NOT NULL,
  status TEXT NOT NULL, interrupt_id TEXT, interrupt TEXT, principal TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  updated_ms BIGINT NOT NULL, lease_owner TEXT, lease_expires_at BIGINT, result TEXT)`
const OLD_ROW = `INSERT INTO agentmap_threads (thread_id, workflow, graph, csv_hash, snapshot, status, created_at, updated_at, updated_ms, lease_owner, lease_expires_at)
  VALUES ('old', 'flow.csv', 'G', 'abc', '{"files":{},"resolutions":{},"functions":{}}', 'running', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 0, 'gone', 1)`

const schema = freshSchema("upgrade")
afterAll(() => dropSchema(schema))

const backends = [
  {
    name: "sqlite",
    prepare: async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-upgrade-")), "agentmap.db")
      const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3")
      const db = new Database(file)
      db.exec(OLD_TABLE)
      db.exec(OLD_ROW)
      db.close()
      return SqlitePersistence.layer({ path: file }) as Layer.Layer<ThreadRegistry>
    }
  },
  {
    name: "postgres",
    prepare: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL })
      await client.connect()
      await client.query(`CREATE SCHEMA ${schema}`)
      await client.query(`SET search_path = ${schema}`)
      await client.query(OLD_TABLE)
      await client.query(OLD_ROW)
      await client.end()
      return PostgresPersistence.layer({ url: POSTGRES_URL, schema, connectTimeoutMillis: 5000 }) as Layer.Layer<ThreadRegistry>
    }
  }
]

describe.each(backends)("a thread table an older AgentMap created ($name)", ({ prepare }) => {
  it("gains the input column on open: old rows read with no input, new rows keep theirs, and opening again changes nothing", async () => {
    const layer = await prepare()
    const read = (id: string) => Effect.flatMap(ThreadRegistry, (r) => r.get(id)).pipe(Effect.map(Option.getOrThrow))
    const old = await Effect.runPromise(read("old").pipe(Effect.provide(layer), Effect.scoped))
    expect([old.thread_id, old.status, old.input]).toEqual(["old", "running", null])
    await Effect.runPromise(
      Effect.flatMap(ThreadRegistry, (r) => r.create({ ...old, thread_id: "new", input: { doc: "Q3" } })).pipe(Effect.provide(layer), Effect.scoped)
    )
    const again = await Effect.runPromise(Effect.all([read("old"), read("new")]).pipe(Effect.provide(layer), Effect.scoped))
    expect(again.map((t) => t.input)).toEqual([null, { doc: "Q3" }])
  })
})
