import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe } from "vitest"
import * as SqliteRunQueue from "../../src/adapters/queue/SqliteRunQueue.js"
import { queueContract } from "../support/queueContract.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-sqlite-queue-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

let files = 0
describe("the SQLite run queue", () => {
  queueContract(() => {
    const file = path.join(dir, `queue-${files++}.db`)
    return (maxPending) => SqliteRunQueue.make({ file, maxPending, leaseMillis: 2000 })
  })
})
