import * as path from "node:path"
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { loadConfig } from "../../src/adapters/config/ConfigLoader.js"
import { workspace } from "../support/workspace.js"

const load = (yaml: string) => {
  const dir = workspace({ "agentmap_config.yaml": yaml })
  return { dir, loaded: Effect.runSync(Effect.either(loadConfig({ explicit: undefined, env: {}, cwd: dir, home: dir }))) }
}

describe("tool configuration", () => {
  it("paths.custom_tools defaults to custom_tools beside the config file; mcp servers are decoded with their folder and timeout", () => {
    const { dir, loaded } = load("mcp:\n  servers:\n    calc: { command: node, args: [server.mjs], env: { A: 1 } }\n    web: { url: 'http://127.0.0.1:1/mcp', headers: { x-key: k }, timeout_seconds: 2 }\n")
    if (Either.isLeft(loaded)) throw new Error(loaded.left.message)
    expect(loaded.right.config.paths.customTools).toBe(path.join(dir, "custom_tools"))
    expect(loaded.right.config.mcp.servers).toEqual({
      calc: { _tag: "Stdio", command: "node", args: ["server.mjs"], env: { A: "1" }, cwd: dir, timeoutMillis: 30_000 },
      web: { _tag: "Http", url: "http://127.0.0.1:1/mcp", headers: { "x-key": "k" }, timeoutMillis: 2000 }
    })
  })

  it("refuses a server with both or neither of command and url, naming it", () => {
    const { loaded } = load("mcp:\n  servers:\n    both: { command: node, url: 'http://x/mcp' }\n    neither: { args: [a] }\n")
    if (Either.isRight(loaded) || loaded.left._tag !== "InvalidConfig") throw new Error("the config loaded")
    expect(loaded.left.diagnostics.map((d) => d.message)).toEqual([
      "mcp.servers.both needs exactly one of command (a server started over stdio) or url (streamable HTTP)",
      "mcp.servers.neither needs exactly one of command (a server started over stdio) or url (streamable HTTP)"
    ])
  })
})
