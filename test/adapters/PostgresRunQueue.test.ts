import { afterAll, describe } from "vitest"
import * as PostgresRunQueue from "../../src/adapters/queue/PostgresRunQueue.js"
import { POSTGRES_URL, dropSchema, freshSchema } from "../support/postgres.js"
import { queueContract } from "../support/queueContract.js"

const schemas: Array<string> = []
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema)
})

describe("the PostgreSQL run queue (graphile-worker)", () => {
  queueContract(() => {
    const schema = freshSchema("queue")
    schemas.push(schema)
    return (maxPending) => PostgresRunQueue.make({ url: POSTGRES_URL, schema, maxPending })
  })
})
