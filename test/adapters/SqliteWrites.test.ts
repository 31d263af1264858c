import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import Database from "better-sqlite3"
import { Effect, ManagedRuntime, Option } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { groupCommit } from "../../src/adapters/persistence/GroupCommit.js"
import * as SqlitePersistence from "../../src/adapters/persistence/SqlitePersistence.js"
import { walCheckpoints } from "../../src/adapters/persistence/WalCheckpoints.js"
import { KeyStore, type StoredKey } from "../../src/ports/KeyStore.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-sqlite-writes-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const table = (file: string) => {
  const db = new Database(file)
  db.pragma("journal_mode = WAL")
  db.exec("CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY)")
  return db
}

describe("group commit on one SQLite connection", () => {
  it("commits writes issued in the same turn together, each caller told its own outcome once the commit is done", async () => {
    const file = path.join(dir, "group.db")
    const db = table(file)
    const other = new Database(file, { readonly: true })
    let transactions = 0
    const writes = groupCommit((work) => {
      transactions++
      db.transaction(work)()
    })
    const insert = (id: string) => writes.write(() => db.prepare("INSERT INTO t (id) VALUES (?)").run(id).changes)
    // the second insert of "a" breaks the key: it fails alone, the others are committed
    const outcomes = await Promise.allSettled([insert("a"), insert("b"), insert("a"), insert("c")])
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"])
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toContain("UNIQUE")
    expect(transactions).toBe(1)
    // visible to another connection: committed, not only written
    expect((other.prepare("SELECT id FROM t ORDER BY id").all() as Array<{ id: string }>).map((r) => r.id)).toEqual(["a", "b", "c"])
    other.close()
    db.close()
  })

  it("runs pending writes before a read (flush), so a read sees every write issued before it", async () => {
    const db = table(path.join(dir, "flush.db"))
    const writes = groupCommit((work) => db.transaction(work)())
    const written = writes.write(() => db.prepare("INSERT INTO t (id) VALUES (?)").run("x").changes)
    writes.flush()
    expect(db.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1 })
    await expect(written).resolves.toBe(1)
    db.close()
  })

  it("fails every write of a group whose commit fails", async () => {
    const writes = groupCommit((work) => {
      work()
      throw new Error("database is locked")
    })
    const outcomes = await Promise.allSettled([writes.write(() => 1), writes.write(() => 1)])
    expect(outcomes.map((o) => (o.status === "rejected" ? String(o.reason) : "ok"))).toEqual(["Error: database is locked", "Error: database is locked"])
  })
})

describe("API key lookups on SQLite", () => {
  const file = path.join(dir, "keys.db")
  const runtime = ManagedRuntime.make(SqlitePersistence.layer({ path: file }))
  afterAll(() => runtime.dispose())
  const keys = <A, E>(f: (k: KeyStore["Type"]) => Effect.Effect<A, E>) => runtime.runPromise(Effect.flatMap(KeyStore, f))
  const stored = (name: string, hash: string): StoredKey => ({ name, hash, prefix: "agm_x", permissions: ["read"], created_at: "2026-11-27T00:00:00.000Z", last_used_at: null, revoked_at: null })

  it("see a revocation made by another process on the next lookup", async () => {
    await keys((k) => k.create(stored("cli-revoked", "h1")))
    expect(Option.getOrThrow(await keys((k) => k.findByHash("h1"))).revoked_at).toBeNull()
    expect(Option.getOrThrow(await keys((k) => k.findByHash("h1"))).revoked_at).toBeNull()
    // `agentmap auth revoke-key` in another process: its own connection
    const cli = new Database(file)
    cli.prepare("UPDATE agentmap_api_keys SET revoked_at = ? WHERE name = ?").run("2026-11-27T01:00:00.000Z", "cli-revoked")
    cli.close()
    expect(Option.getOrThrow(await keys((k) => k.findByHash("h1"))).revoked_at).toBe("2026-11-27T01:00:00.000Z")
  })

  it("see a key created by another process after a lookup found nothing", async () => {
    expect(Option.isNone(await keys((k) => k.findByHash("h2")))).toBe(true)
    const cli = new Database(file)
    cli.prepare("INSERT INTO agentmap_api_keys (name, key_hash, prefix, permissions, created_at) VALUES (?, ?, ?, ?, ?)").run("late", "h2", "agm_y", '["read"]', "2026-11-27T00:00:00.000Z")
    cli.close()
    expect(Option.getOrThrow(await keys((k) => k.findByHash("h2"))).name).toBe("late")
  })

  it("see this process's own revocation at once", async () => {
    await keys((k) => k.create(stored("own", "h3")))
    expect(Option.getOrThrow(await keys((k) => k.findByHash("h3"))).revoked_at).toBeNull()
    await keys((k) => k.revoke("own", "2026-11-27T02:00:00.000Z"))
    expect(Option.getOrThrow(await keys((k) => k.findByHash("h3"))).revoked_at).toBe("2026-11-27T02:00:00.000Z")
  })
})

describe("WAL checkpoints in a background thread (long-lived processes)", () => {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3")
  const rows = 3000
  /** 3000 commits of a 1 KB row (with its index pages, ~20 MB of WAL frames). */
  const fill = async (db: Database.Database, committed: () => void, from: number) => {
    const insert = db.prepare("INSERT INTO t (id) VALUES (?)")
    for (let i = from; i < from + rows; i++) {
      db.transaction(() => insert.run(`${i}:${"x".repeat(1000)}`))()
      committed()
      // the worker's answers arrive between turns, as they do between a server's requests
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    }
  }
  const walSize = (file: string) => fs.statSync(`${file}-wal`).size

  it("keep the WAL file from growing under sustained writes while the committing connection never checkpoints itself, and lose nothing", async () => {
    const file = path.join(dir, "wal-background.db")
    const db = table(file)
    const wal = walCheckpoints(db, file, driver, { everyCommits: 10, restartFrames: 200, maxUnreported: Number.MAX_SAFE_INTEGER })
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0)
    // the first round includes the worker's start; the WAL file keeps the largest size it reached
    await fill(db, wal.committed, 0)
    const afterFirst = walSize(file)
    await fill(db, wal.committed, rows)
    // the second round's ~20 MB of frames went through a WAL the worker kept copying back: it started over instead of growing
    expect(walSize(file) - afterFirst).toBeLessThan(1024 * 1024)
    // the worker did it: the committing connection's own checkpoints are still off (they come back only if the worker fails)
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0)
    await wal.close()
    const reader = new Database(file, { readonly: true })
    expect(reader.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 2 * rows })
    reader.close()
    db.close()
  })

  it("without the background thread, the same writes with SQLite's own checkpoints off grow the WAL file round after round", async () => {
    const file = path.join(dir, "wal-none.db")
    const db = table(file)
    db.pragma("wal_autocheckpoint = 0")
    await fill(db, () => undefined, 0)
    const afterFirst = walSize(file)
    await fill(db, () => undefined, rows)
    expect(walSize(file) - afterFirst).toBeGreaterThan(8 * 1024 * 1024)
    db.close()
  })
})
