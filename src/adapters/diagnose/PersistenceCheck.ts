import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { Effect } from "effect"
import { type Check, fail, ok } from "../../domain/Diagnosis.js"
import type { AppConfig } from "../config/AppConfig.js"
import { describeUrl } from "../persistence/PostgresPersistence.js"

export interface PersistenceReport {
  readonly backend: AppConfig["persistence"]["backend"]
  /** Where it is, never with a password. */
  readonly store: string
  readonly reachable: boolean
  /** Threads outlive the process (sqlite, postgres). */
  readonly durable: boolean
  readonly error?: string
  readonly writable?: boolean
  readonly server_version?: string
  readonly latency_ms?: number
  /** AgentMap's tables: present once the store was first used (they are created then). */
  readonly schema?: { readonly present: boolean; readonly tables: ReadonlyArray<string>; readonly user_version?: number }
}

const TABLES = ["agentmap_threads", "checkpoints", "agentmap_api_keys"]

const since = (start: bigint) => Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100

const sqlite = (file: string): { report: PersistenceReport; check: Check } => {
  const store = `sqlite:${file}`
  const base = { backend: "sqlite" as const, store, durable: true }
  if (!fs.existsSync(file)) {
    let dir = path.dirname(file)
    while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir)
    const writable = (() => {
      try {
        fs.accessSync(dir, fs.constants.W_OK)
        return true
      } catch {
        return false
      }
    })()
    return writable
      ? { report: { ...base, reachable: true, writable, schema: { present: false, tables: [] } }, check: ok("persistence", "sqlite", `${file} (created on first use)`) }
      : {
          report: { ...base, reachable: false, writable, error: `${dir} is not writable` },
          check: fail("persistence", "sqlite", `${file} cannot be created: ${dir} is not writable`, "give this user write access there, or set persistence.sqlite_path")
        }
  }
  try {
    const writable = (() => {
      try {
        fs.accessSync(file, fs.constants.W_OK)
        return true
      } catch {
        return false
      }
    })()
    const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3")
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 2000 })
    try {
      const start = process.hrtime.bigint()
      db.prepare("SELECT 1").get()
      const latency = since(start)
      const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as ReadonlyArray<{ name: string }>).map((r) => r.name)
      const tables = TABLES.filter((t) => names.includes(t))
      const userVersion = Number(db.pragma("user_version", { simple: true }))
      const report: PersistenceReport = { ...base, reachable: true, writable, latency_ms: latency, schema: { present: tables.length > 0, tables, user_version: userVersion } }
      const detail = `${file}: ${tables.length > 0 ? `schema present (${tables.join(", ")})` : "no AgentMap tables yet (created on first use)"}, user_version ${userVersion}, ${latency} ms`
      return writable
        ? { report, check: ok("persistence", "sqlite", detail) }
        : { report, check: fail("persistence", "sqlite", `${file} is read-only`, "give this user write access to the database file and its folder, or set persistence.sqlite_path") }
    } finally {
      db.close()
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    return {
      report: { ...base, reachable: false, error: message },
      check: fail("persistence", "sqlite", `${file} cannot be opened: ${message}`, "check that it is an SQLite database (or move it away to start afresh)")
    }
  }
}

const postgres = async (config: AppConfig["persistence"]): Promise<{ report: PersistenceReport; check: Check }> => {
  const url = config.postgresUrl ?? ""
  const store = describeUrl(url)
  const base = { backend: "postgres" as const, store, durable: true }
  const seconds = config.connectTimeoutMillis / 1000
  const pg = (await import("pg")).default
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: config.connectTimeoutMillis, statement_timeout: config.connectTimeoutMillis, query_timeout: config.connectTimeoutMillis })
  client.on("error", () => undefined)
  try {
    await client.connect()
    const start = process.hrtime.bigint()
    await client.query("SELECT 1")
    const latency = since(start)
    const version = String(((await client.query("SHOW server_version")).rows[0] as { server_version?: unknown } | undefined)?.server_version ?? "unknown")
    const schema = config.postgresSchema.replace(/[^A-Za-z0-9_]/g, "")
    const rows = (await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1", [schema])).rows as ReadonlyArray<{ table_name: string }>
    const tables = TABLES.filter((t) => rows.some((r) => r.table_name === t))
    const report: PersistenceReport = { ...base, reachable: true, server_version: version, latency_ms: latency, schema: { present: tables.length > 0, tables } }
    const detail = `${store} (PostgreSQL ${version}), schema ${schema}: ${tables.length > 0 ? `present (${tables.join(", ")})` : "no AgentMap tables yet (created on first use)"}, round trip ${latency} ms`
    return { report, check: ok("persistence", "postgres", detail) }
  } catch (e) {
    const message = e instanceof Error && e.message !== "" ? e.message : String(e)
    return {
      report: { ...base, reachable: false, error: message },
      check: fail(
        "persistence",
        "postgres",
        `${store} not reachable within ${seconds} s: ${message}`,
        "check persistence.postgres_url (or AGENTMAP_POSTGRES_URL): host, port, user, password and database, and that the server accepts connections from here"
      )
    }
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** The configured store, opened read-only (SQLite) or with one connection (Postgres), bounded by `connect_timeout_seconds`. */
export const checkPersistence = (config: AppConfig): Effect.Effect<{ readonly report: PersistenceReport; readonly check: Check }> => {
  const p = config.persistence
  switch (p.backend) {
    case "memory":
      return Effect.succeed({
        report: { backend: "memory", store: "memory", reachable: true, durable: false },
        check: ok("persistence", "memory", "in this process only: threads end with it")
      })
    case "sqlite":
      return Effect.sync(() => sqlite(p.sqlitePath))
    case "postgres":
      return Effect.promise(() =>
        postgres(p).catch((e: unknown) => ({
          report: { backend: "postgres" as const, store: describeUrl(p.postgresUrl ?? ""), reachable: false, durable: true, error: String(e) },
          check: fail("persistence", "postgres", `could not be checked: ${String(e)}`, "check persistence.postgres_url (or AGENTMAP_POSTGRES_URL)")
        }))
      )
  }
}
