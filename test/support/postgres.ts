import pg from "pg"

/** The PostgreSQL the machine runs (trust auth, database `test`); override with AGENTMAP_TEST_POSTGRES_URL. */
export const POSTGRES_URL = process.env["AGENTMAP_TEST_POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:5432/test"

/** A schema of its own for one test file, so files running in parallel do not see each other's threads. */
export const freshSchema = (name: string) => `agentmap_${name}_${process.pid}_${Math.floor(Math.random() * 1e6)}`

export const dropSchema = async (schema: string) => {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
}

/** Config file text selecting the PostgreSQL backend in `schema`. */
export const postgresConfig = (schema: string, extra = "") =>
  `persistence:\n  backend: postgres\n  postgres_url: ${POSTGRES_URL}\n  postgres_schema: ${schema}\n${extra}`
