import { afterEach, beforeEach, expect } from "vitest"
import { serversOfThisTest } from "./server.js"

// Many tests run the CLI with spawnSync: a file of such tests, run back to back, can keep its
// worker's event loop busy for a minute without one turn, and vitest's calls to the main process
// (answered on that loop) then time out ("Timeout calling onTaskUpdate") although every test
// passed. One turn of the loop after each test lets the answers in.
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)))

// A test that failed with `agentmap serve` processes running says what they logged.
beforeEach(() => {
  const running = serversOfThisTest.filter((server) => server.running())
  serversOfThisTest.splice(0, serversOfThisTest.length, ...running)
})
afterEach(({ task }) => {
  if (task.result?.state === "fail")
    for (const [i, server] of serversOfThisTest.entries())
      process.stderr.write(`\n--- agentmap serve #${i + 1} ${server.args.join(" ")} (test "${task.name}" failed)\nstderr:\n${server.stderr().slice(-4000)}\nstdout:\n${server.stdout().slice(-4000)}\n`)
})

// Says which test kept this worker's event loop from turning for 20 s or more (the cause of the
// onTaskUpdate timeouts above when a single test or hook does it).
// Once per worker: with isolate: false this file runs again for every test file.
const monitored = globalThis as { agentmapLoopMonitor?: boolean }
if (monitored.agentmapLoopMonitor !== true) {
  monitored.agentmapLoopMonitor = true
  let last = Date.now()
  setInterval(() => {
    const now = Date.now()
    if (now - last >= 20_000) {
      const state = expect.getState()
      process.stderr.write(`\n[event loop] blocked ${Math.round((now - last) / 1000)} s in ${state.testPath ?? "?"} > ${state.currentTestName ?? "(no test: a hook or collection)"}\n`)
    }
    last = now
  }, 1000).unref()
}
