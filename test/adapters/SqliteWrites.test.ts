import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import Database from "better-sqlite3"
import { Effect, ManagedRuntime, Option } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { emptyCheckpoint } from "@langchain/langgraph-checkpoint"
import { groupCommit } from "../../src/adapters/persistence/GroupCommit.js"
import { GroupCommitSqliteSaver } from "../../src/adapters/persistence/GroupCommitSqliteSaver.js"
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

describe("LangGraph checkpoints through the group commit", () => {
  /** A saver on a fresh file; `failNext()` makes the next group's commit fail (rolled back, as a disk error would). */
  const saverOn = (name: string) => {
    const file = path.join(dir, name)
    const db = new Database(file)
    db.pragma("journal_mode = WAL")
    let transactions = 0
    let fail = false
    const writes = groupCommit((work) => {
      transactions++
      db.transaction(() => {
        work()
        if (fail) {
          fail = false
          throw new Error("disk I/O error")
        }
      })()
    })
    const saver = new GroupCommitSqliteSaver(db, writes)
    const reader = () => new Database(file, { readonly: true })
    return { db, saver, reader, transactions: () => transactions, failNext: () => (fail = true) }
  }
  const at = (thread: string, checkpointId?: string) => ({ configurable: { thread_id: thread, checkpoint_ns: "", ...(checkpointId ? { checkpoint_id: checkpointId } : {}) } })
  const checkpoint = (id: string) => ({ ...emptyCheckpoint(), id })
  const metadata = { source: "loop" as const, step: 1, parents: {} }
  /** What LangGraph does at the end of a step whose state is a DeltaChannel: the checkpoint is saved once the task's writes are. */
  const step = (s: ReturnType<typeof saverOn>, thread: string, parentId: string, id: string, writes: Array<[string, unknown]> = [["data", { v: 1 }]]) => {
    const saved = s.saver.putWrites(at(thread, parentId), writes, `task-${id}`)
    return Promise.all([saved]).then(() => s.saver.put(at(thread, parentId), checkpoint(id), metadata))
  }
  const rows = (s: ReturnType<typeof saverOn>, thread: string) => {
    const r = s.reader()
    const hasWrites = r.prepare("SELECT 1 FROM sqlite_master WHERE name = 'writes'").get() !== undefined
    const counts = {
      checkpoints: (r.prepare("SELECT checkpoint_id FROM checkpoints WHERE thread_id = ? ORDER BY checkpoint_id").all(thread) as Array<{ checkpoint_id: string }>).map((c) => c.checkpoint_id),
      writes: hasWrites ? (r.prepare("SELECT count(*) AS n FROM writes WHERE thread_id = ?").get(thread) as { n: number }).n : 0
    }
    r.close()
    return counts
  }

  it("commits a task's writes together with the checkpoint saved after them: one commit per step, not two", async () => {
    const s = saverOn("steps.db")
    await s.saver.put(at("t"), checkpoint("c0"), metadata)
    const before = s.transactions()
    await step(s, "t", "c0", "c1")
    expect(s.transactions() - before).toBe(1)
    // committed, not only written: another connection sees both
    expect(rows(s, "t")).toEqual({ checkpoints: ["c0", "c1"], writes: 1 })
    s.db.close()
  })

  it("does not save a checkpoint without the writes before it when their statement fails", async () => {
    const s = saverOn("lost-statement.db")
    await s.saver.put(at("t"), checkpoint("c0"), metadata)
    await step(s, "t", "c0", "c1")
    // the statement is prepared already: it fails when it runs, inside the group
    s.db.exec("DROP TABLE writes")
    await expect(step(s, "t", "c1", "c2")).rejects.toThrow(/writes of this checkpoint's step were not saved: no such table: writes/)
    expect(rows(s, "t").checkpoints).toEqual(["c0", "c1"])
    s.db.close()
  })

  it("does not save a checkpoint without the writes before it when their group fails to commit, and the thread's next run is not held to it", async () => {
    const s = saverOn("lost-commit.db")
    await s.saver.put(at("t"), checkpoint("c0"), metadata)
    s.failNext()
    // acknowledged once queued; their group fails; the checkpoint comes in a later group
    await s.saver.putWrites(at("t", "c0"), [["data", { v: 1 }]], "task-c1")
    await new Promise((resolve) => setImmediate(resolve))
    await expect(s.saver.put(at("t", "c0"), checkpoint("c1"), metadata)).rejects.toThrow(/writes of this checkpoint's step were not saved: disk I\/O error/)
    expect(rows(s, "t")).toEqual({ checkpoints: ["c0"], writes: 0 })
    // a later run starts from what was saved (LangGraph reads the thread first) and saves normally
    expect((await s.saver.getTuple(at("t")))?.checkpoint.id).toBe("c0")
    await step(s, "t", "c0", "c1")
    expect(rows(s, "t")).toEqual({ checkpoints: ["c0", "c1"], writes: 1 })
    s.db.close()
  })

  it("fails the checkpoint queued in the same group as the writes, and only that thread's", async () => {
    const s = saverOn("lost-same-group.db")
    await s.saver.put(at("t"), checkpoint("c0"), metadata)
    s.failNext()
    await expect(step(s, "t", "c0", "c1")).rejects.toThrow("disk I/O error")
    await step(s, "u", "c0", "c1")
    // the failure was the group's: nothing of it is left to hold against the thread
    await step(s, "t", "c0", "c1")
    expect(rows(s, "t")).toEqual({ checkpoints: ["c0", "c1"], writes: 1 })
    expect(rows(s, "u")).toEqual({ checkpoints: ["c1"], writes: 1 })
    s.db.close()
  })

  /** What LangGraph does when a run starts: the input checkpoint, then (chained after it) the checkpoint the first step starts from. */
  const input = { source: "input" as const, step: -1, parents: {} }
  const start = (s: ReturnType<typeof saverOn>, thread: string) =>
    s.saver.put(at(thread), checkpoint("c-input"), input).then(() => s.saver.put(at(thread, "c-input"), checkpoint("c0"), { ...metadata, step: 0 }))

  it("commits a run's input checkpoint together with the checkpoint its first step starts from: one commit, not two", async () => {
    const s = saverOn("input.db")
    await start(s, "t")
    expect(s.transactions()).toBe(1)
    expect(rows(s, "t").checkpoints).toEqual(["c-input", "c0"])
    s.db.close()
  })

  it("does not save the first step's checkpoint when the input checkpoint was not saved", async () => {
    const s = saverOn("input-lost.db")
    // in the same group: both fail
    s.failNext()
    await expect(start(s, "t")).rejects.toThrow("disk I/O error")
    // in a group of its own that fails: the next checkpoint fails instead of being saved without it
    s.failNext()
    await s.saver.put(at("u"), checkpoint("c-input"), input)
    await new Promise((resolve) => setImmediate(resolve))
    await expect(s.saver.put(at("u", "c-input"), checkpoint("c0"), { ...metadata, step: 0 })).rejects.toThrow(/were not saved: disk I\/O error/)
    expect(rows(s, "t").checkpoints).toEqual([])
    expect(rows(s, "u").checkpoints).toEqual([])
    // the thread's next run reads it first and starts over normally
    expect(await s.saver.getTuple(at("u"))).toBeUndefined()
    await start(s, "u")
    expect(rows(s, "u").checkpoints).toEqual(["c-input", "c0"])
    s.db.close()
  })

  it("acknowledges error and interrupt writes only once committed (no checkpoint follows them)", async () => {
    const s = saverOn("special.db")
    await s.saver.put(at("t"), checkpoint("c0"), metadata)
    s.failNext()
    await expect(s.saver.putWrites(at("t", "c0"), [["__interrupt__", [{ value: "ask" }]]], "task-wait")).rejects.toThrow("disk I/O error")
    await s.saver.putWrites(at("t", "c0"), [["__interrupt__", [{ value: "ask" }]]], "task-wait")
    expect(rows(s, "t").writes).toBe(1)
    s.db.close()
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
    // the second round's ~20 MB of frames went through a WAL the worker kept copying back: it started
    // over instead of growing (without the worker it grows by all of them; a busy machine delays the
    // worker's restarts by a few of its turns, hence the margin)
    expect(walSize(file) - afterFirst).toBeLessThan(5 * 1024 * 1024)
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
