import * as path from "node:path"
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { CONFIG_TEMPLATE } from "../../src/adapters/cli/InitTemplates.js"
import { loadConfig } from "../../src/adapters/config/ConfigLoader.js"
import { format } from "../../src/domain/Diagnostic.js"
import { workspace } from "../support/workspace.js"

const load = (cwd: string, env: Record<string, string> = {}, explicit?: string, home?: string) =>
  Effect.runPromise(Effect.either(loadConfig({ explicit, env, cwd, home: home ?? cwd })))

const ok = async (...args: Parameters<typeof load>) => {
  const r = await load(...args)
  if (Either.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

describe("configuration discovery", () => {
  it("prefers --config, then AGENTMAP_CONFIG_FILE, then ./agentmap_config.yaml, then ~/.agentmap, then defaults", async () => {
    const dir = workspace({
      "explicit.yaml": "paths:\n  csv_repository: from-explicit\n",
      "env.yaml": "paths:\n  csv_repository: from-env\n",
      "agentmap_config.yaml": "paths:\n  csv_repository: from-cwd\n",
      "home/.agentmap/agentmap_config.yaml": "paths:\n  csv_repository: from-home\n"
    })
    const home = path.join(dir, "home")
    const repo = async (env: Record<string, string>, explicit?: string, cwd = dir) => (await ok(cwd, env, explicit, home)).config.paths.csvRepository
    expect(await repo({ AGENTMAP_CONFIG_FILE: "env.yaml" }, "explicit.yaml")).toBe(path.join(dir, "from-explicit"))
    expect(await repo({ AGENTMAP_CONFIG_FILE: "env.yaml" })).toBe(path.join(dir, "from-env"))
    expect(await repo({})).toBe(path.join(dir, "from-cwd"))
    expect(await repo({}, undefined, home)).toBe(path.join(home, ".agentmap", "from-home"))
    const empty = workspace({})
    const defaults = await ok(empty, {}, undefined, empty)
    expect(defaults.config.file).toBeUndefined()
    expect(defaults.config.paths).toMatchObject({ csvRepository: path.join(empty, "workflows"), functions: path.join(empty, "functions"), cache: path.join(empty, ".agentmap") })
  })

  it("fails clearly when an explicitly named config file is missing", async () => {
    const r = await load(workspace({}), {}, "nope.yaml")
    expect(Either.isLeft(r) && r.left._tag).toBe("FileNotFound")
  })
})

describe("configuration values", () => {
  it("reads env:VAR and env:VAR:default and resolves paths against the config file's folder", async () => {
    const dir = workspace({ "conf/agentmap_config.yaml": "paths:\n  csv_repository: env:REPO\n  functions: env:FUNCS:fns\n  cache: env:UNSET_VAR\n" })
    const { config, diagnostics } = await ok(dir, { REPO: "flows" }, "conf/agentmap_config.yaml")
    expect(config.paths.csvRepository).toBe(path.join(dir, "conf", "flows"))
    expect(config.paths.functions).toBe(path.join(dir, "conf", "fns"))
    expect(diagnostics.map((d) => d.code)).toEqual(["env-unset"])
  })

  it("applies AGENTMAP_<SECTION>__<KEY> overrides and the short aliases", async () => {
    const dir = workspace({ "agentmap_config.yaml": "execution:\n  max_steps: 10\n" })
    const { config } = await ok(dir, { AGENTMAP_EXECUTION__MAX_STEPS: "500", AGENTMAP_CACHE_FOLDER: "cachedir", AGENTMAP_EXECUTION__SUCCESS_POLICY: "final_node" })
    expect(config.execution.maxSteps).toBe(500)
    expect(config.paths.cache).toBe(path.join(dir, "cachedir"))
    expect(config.execution.successPolicy).toEqual({ _tag: "FinalNode" })
    const { config: aliased } = await ok(dir, {
      AGENTMAP_PERSISTENCE_BACKEND: "postgres",
      AGENTMAP_POSTGRES_URL: "postgres://u:secret@db.example:5432/agentmap",
      AGENTMAP_LOG_LEVEL: "debug"
    })
    expect(aliased.persistence).toMatchObject({ backend: "postgres", postgresUrl: "postgres://u:secret@db.example:5432/agentmap" })
    expect(aliased.logging.level).toBe("debug")
  })

  it("reports wrong types and values as errors with file, line, column and key path", async () => {
    const dir = workspace({
      "agentmap_config.yaml": "paths:\n  csv_repository: workflows\nexecution:\n  max_steps: many\n  success_policy:\n    type: everything\n"
    })
    const r = await load(dir)
    if (Either.isRight(r)) throw new Error("expected errors")
    if (r.left._tag !== "InvalidConfig") throw new Error(r.left._tag)
    expect(r.left.diagnostics.map(format)).toEqual([
      `${path.join(dir, "agentmap_config.yaml")}:4:14: error: execution.max_steps: expected an integer >= 1, got 'many'`,
      `${path.join(dir, "agentmap_config.yaml")}:6:11: error: execution.success_policy.type: expected one of all_nodes, final_node, critical_nodes, custom, got 'everything'`
    ])
  })

  it("requires a PostgreSQL URL for the postgres backend and defaults to SQLite under the cache folder", async () => {
    const r = await load(workspace({}), { AGENTMAP_PERSISTENCE__BACKEND: "postgres" })
    expect(Either.isLeft(r) && r.left._tag === "InvalidConfig" && r.left.diagnostics[0]!.message).toContain("persistence.postgres_url")
    const dir = workspace({ "agentmap_config.yaml": "paths:\n  cache: state\nexecution:\n  durability: exit\n" })
    const { config } = await ok(dir)
    expect(config.persistence).toMatchObject({ backend: "sqlite", sqlitePath: path.join(dir, "state", "agentmap.db"), leaseMillis: 30_000 })
    expect(config.execution.durability).toBe("exit")
  })

  it("names a bad override by its variable", async () => {
    const r = await load(workspace({}), { AGENTMAP_EXECUTION__MAX_STEPS: "lots" })
    expect(Either.isLeft(r) && r.left._tag === "InvalidConfig" && r.left.diagnostics[0]!.message).toContain("AGENTMAP_EXECUTION__MAX_STEPS")
  })

  it("reads auth.jwt.require_exp, max_age_seconds and clock_tolerance_seconds, with defaults, overrides and located type errors", async () => {
    const { config: defaults } = await ok(workspace({ "agentmap_config.yaml": "auth:\n  jwt:\n    secret: s\n" }))
    expect(defaults.auth.jwt).toMatchObject({ requireExp: true, maxAgeSeconds: undefined, clockToleranceSeconds: 30 })
    const dir = workspace({ "agentmap_config.yaml": "auth:\n  jwt:\n    secret: s\n    max_age_seconds: 3600\n    clock_tolerance_seconds: 5\n" })
    const { config } = await ok(dir, { AGENTMAP_AUTH__JWT__REQUIRE_EXP: "false" })
    expect(config.auth.jwt).toMatchObject({ requireExp: false, maxAgeSeconds: 3600, clockToleranceSeconds: 5 })
    const bad = workspace({ "agentmap_config.yaml": "auth:\n  jwt:\n    require_exp: sometimes\n    max_age_seconds: 0\n" })
    const r = await load(bad)
    if (Either.isRight(r) || r.left._tag !== "InvalidConfig") throw new Error("expected InvalidConfig")
    expect(r.left.diagnostics.map(format)).toEqual([
      `${path.join(bad, "agentmap_config.yaml")}:3:18: error: auth.jwt.require_exp: expected true or false, got 'sometimes'`,
      `${path.join(bad, "agentmap_config.yaml")}:4:22: error: auth.jwt.max_age_seconds: expected an integer >= 1, got 0`
    ])
    const env = await load(workspace({}), { AGENTMAP_AUTH__JWT__REQUIRE_EXP: "maybe" })
    expect(Either.isLeft(env) && env.left._tag === "InvalidConfig" && env.left.diagnostics[0]!.message).toBe(
      "AGENTMAP_AUTH__JWT__REQUIRE_EXP (auth.jwt.require_exp): expected true or false, got 'maybe'"
    )
  })

  it("knows every key the `agentmap init` template shows, commented out or not", async () => {
    const uncommented = CONFIG_TEMPLATE.replace(/^(\s*)# (\s*\w+:)/gm, "$1$2")
    expect(uncommented).toContain("max_age_seconds:")
    const { diagnostics } = await ok(workspace({ "agentmap_config.yaml": uncommented }), { AGENTMAP_JWT_SECRET: "s" })
    expect(diagnostics.map(format)).toEqual([])
  })

  it("warns about unknown keys with a suggestion and accepts the original's later sections", async () => {
    const dir = workspace({
      "agentmap_config.yaml": [
        "pahts:",
        "  csv_repository: x",
        "llm:",
        "  openai:",
        "    api_key: env:OPENAI_API_KEY:none",
        "    model: gpt-4o",
        "memory:",
        "  enabled: false",
        "execution:",
        "  tracking:",
        "    enabled: true",
        "    track_outputs: false",
        ""
      ].join("\n")
    })
    const { diagnostics } = await ok(dir)
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`)).toEqual([
      "1:1 warning unknown key 'pahts' is ignored (did you mean 'paths'?)"
    ])
  })
})

describe("telemetry.metrics.public", () => {
  it("is false by default, true from the file or AGENTMAP_TELEMETRY__METRICS__PUBLIC, and not a boolean is an error", async () => {
    expect((await ok(workspace({}))).config.telemetry.metrics.public).toBe(false)
    expect((await ok(workspace({ "agentmap_config.yaml": "telemetry:\n  metrics:\n    public: true\n" }))).config.telemetry.metrics.public).toBe(true)
    expect((await ok(workspace({}), { AGENTMAP_TELEMETRY__METRICS__PUBLIC: "true" })).config.telemetry.metrics.public).toBe(true)
    // the rest of telemetry: is read by tracing, and not refused here
    expect((await ok(workspace({ "agentmap_config.yaml": "telemetry:\n  enabled: true\n  metrics:\n    public: false\n" }))).config.telemetry.metrics.public).toBe(false)
    const wrong = await load(workspace({ "agentmap_config.yaml": "telemetry:\n  metrics:\n    public: sometimes\n" }))
    expect(Either.isLeft(wrong) && wrong.left._tag === "InvalidConfig" && wrong.left.diagnostics.map(format).join("\n")).toContain("telemetry.metrics.public")
  })
})
