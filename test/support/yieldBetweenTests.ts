import { afterEach } from "vitest"

// Many tests run the CLI with spawnSync: a file of such tests, run back to back, can keep its
// worker's event loop busy for a minute without one turn, and vitest's calls to the main process
// (answered on that loop) then time out ("Timeout calling onTaskUpdate") although every test
// passed. One turn of the loop after each test lets the answers in.
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)))
