import { availableParallelism } from "node:os"
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/globalSetup.ts"],
    setupFiles: ["test/support/testHooks.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most test time is spent waiting on child processes (the CLI, servers): one worker more than
    // there are cores keeps the cores busy. Test files share their worker's module cache instead of
    // loading effect and LangGraph again each (the files keep no global state between them).
    maxWorkers: availableParallelism() + 1,
    // as many from the start: a pool that shrinks while files still run rejects with "Terminating worker thread"
    minWorkers: availableParallelism() + 1,
    isolate: false
  }
})
