import type { Database, Statement } from "better-sqlite3"

/** A statement per SQL text, prepared once per connection: preparing costs more than running. */
export type PreparedStatements = (sql: string) => Statement<Array<unknown>>

export const preparedStatements = (db: Database): PreparedStatements => {
  const statements = new Map<string, Statement<Array<unknown>>>()
  return (sql) => {
    let prepared = statements.get(sql)
    if (prepared === undefined) {
      prepared = db.prepare<Array<unknown>>(sql)
      statements.set(sql, prepared)
    }
    return prepared
  }
}
