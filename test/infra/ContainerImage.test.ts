import { execFileSync, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"

/**
 * No Docker engine runs here, so this proves the image's parts: the Dockerfile's own build steps run
 * on a clean checkout, its runtime COPYs make a folder with production dependencies only, and its
 * CMD starts there as a non-root user and answers its HEALTHCHECK. The steps are read from the
 * Dockerfile, so the image and this test cannot drift apart.
 */
const ROOT = path.resolve(import.meta.dirname, "../..")
const DOCKERFILE = fs.readFileSync(path.join(ROOT, "Dockerfile"), "utf8")

interface Instruction {
  readonly op: string
  readonly args: string
}
/** Instructions per stage, continuation lines joined, comments dropped. */
const stages = (text: string): Array<Array<Instruction>> => {
  const joined = text.replace(/\\\n/g, " ").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"))
  const out: Array<Array<Instruction>> = []
  for (const line of joined) {
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line)!
    if (op!.toUpperCase() === "FROM") out.push([])
    out[out.length - 1]!.push({ op: op!.toUpperCase(), args: args! })
  }
  return out
}
const [buildStage, runtimeStage] = stages(DOCKERFILE) as [Array<Instruction>, Array<Instruction>]
const all = (stage: ReadonlyArray<Instruction>, op: string) => stage.filter((i) => i.op === op).map((i) => i.args)
const one = (stage: ReadonlyArray<Instruction>, op: string) => all(stage, op)[0] ?? ""
const exec = (line: string) => JSON.parse(line.replace(/^.*?CMD\s+/, "")) as Array<string>

const USER = { uid: 65534, gid: 65534 } // nobody:nogroup, standing in for the image's `node` user
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })

let work: string
let context: string
let runtime: string
let env: Record<string, string>
let port: number

/** Runs a command as the non-root user in the runtime folder, with the image's environment. */
const asUser = (argv: ReadonlyArray<string>) =>
  spawnSync(argv[0]!, argv.slice(1), { cwd: runtime, env, uid: USER.uid, gid: USER.gid, encoding: "utf8", timeout: 30_000 })

/** A shell step, without blocking this process (vitest's worker keeps talking to its runner meanwhile). */
const sh = (step: string, cwd: string, env: NodeJS.ProcessEnv) =>
  new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn("sh", ["-c", step], { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (d: Buffer) => (output += d.toString()))
    child.stderr.on("data", (d: Buffer) => (output += d.toString()))
    child.on("exit", (status) => resolve({ status, output }))
  })

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-image-"))
  fs.chmodSync(work, 0o755)
  context = path.join(work, "context")
  runtime = path.join(work, "app")
  // the build context: a clean checkout of HEAD without what .dockerignore leaves out
  execFileSync("git", ["clone", "--quiet", "--depth", "1", `file://${ROOT}`, context])
  for (const pattern of fs.readFileSync(path.join(context, ".dockerignore"), "utf8").split("\n").map((l) => l.trim())) {
    if (pattern === "" || pattern.startsWith("#")) continue
    if (pattern.includes("*")) continue // globs (*.log) match nothing in a fresh checkout
    fs.rmSync(path.join(context, pattern), { recursive: true, force: true })
  }
  expect(one(buildStage, "FROM")).toMatch(/^node:20-slim AS build$/i)
  expect(one(buildStage, "WORKDIR")).toBe("/app")
  expect(all(buildStage, "COPY")).toEqual([". ."])
  // In the image, better-sqlite3's install downloads its prebuilt binary from GitHub; no network
  // reaches GitHub here, so the same release asset is made from this checkout's build of it and
  // handed to its installer (prebuild-install) as a local prebuild through an rc file it finds in a
  // parent folder of the package (else it compiles SQLite: many minutes).
  const prebuilds = path.join(work, "prebuilds")
  const sqlite = path.join(ROOT, "node_modules", "better-sqlite3")
  const version = (JSON.parse(fs.readFileSync(path.join(sqlite, "package.json"), "utf8")) as { version: string }).version
  fs.mkdirSync(prebuilds)
  execFileSync("tar", ["-czf", path.join(prebuilds, `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`), "-C", sqlite, "build/Release/better_sqlite3.node"])
  fs.writeFileSync(path.join(work, ".prebuild-installrc"), `local-prebuilds=${prebuilds}\n`)
  // the build stage's RUN steps, as the image runs them (npm's cache reused: no network needed for what it holds)
  for (const step of all(buildStage, "RUN")) {
    const r = await sh(step, context, { ...process.env, npm_config_prefer_offline: "true", npm_config_update_notifier: "false" })
    if (r.status !== 0) throw new Error(`RUN ${step} failed (${r.status}):\n${r.output}`)
  }
  // the runtime stage: only what it copies from the build stage
  expect(one(runtimeStage, "FROM")).toBe("node:20-slim")
  expect(one(runtimeStage, "WORKDIR")).toBe("/app")
  fs.mkdirSync(runtime)
  for (const copy of all(runtimeStage, "COPY")) {
    const words = copy.split(/\s+/)
    expect(words[0]).toBe("--from=build")
    const chown = words.find((w) => w.startsWith("--chown="))
    const paths = words.filter((w) => !w.startsWith("--"))
    const target = path.resolve(runtime, paths[paths.length - 1]!.replace(/^\/app\/?/, "./"))
    for (const source of paths.slice(0, -1)) {
      expect(source.startsWith("/app/")).toBe(true)
      const from = path.join(context, source.slice("/app/".length))
      const to = target.endsWith(path.sep) || paths[paths.length - 1]!.endsWith("/") ? path.join(target, path.basename(from)) : target
      fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true })
      if (chown !== undefined) execFileSync("chown", ["-R", `${USER.uid}:${USER.gid}`, to])
    }
  }
  expect(all(runtimeStage, "RUN")).toEqual([])
  expect(one(runtimeStage, "USER")).toBe("node")
  // ENV, with /app standing for the runtime folder
  env = { HOME: runtime, NO_COLOR: "1", PATH: process.env["PATH"] ?? "" }
  for (const [, key, value] of one(runtimeStage, "ENV").matchAll(/(\w+)=(\S+)/g))
    env[key!] = value!.replace(/\$PATH/g, env["PATH"]!).replace(/\/app(?=\/|$|:)/g, runtime)
}, 1_200_000)

afterAll(async () => {
  if (work !== undefined) await fs.promises.rm(work, { recursive: true, force: true })
}, 300_000)

describe("the container image (Dockerfile), built and started without Docker", () => {
  it("holds production dependencies only", () => {
    const modules = fs.readdirSync(path.join(runtime, "node_modules"))
    for (const dev of ["vitest", "typescript", "tsx", "dependency-cruiser", "autocannon"]) expect(modules).not.toContain(dev)
    for (const prod of ["effect", "better-sqlite3", "pg", "@langchain"]) expect(modules).toContain(prod)
    expect(fs.existsSync(path.join(runtime, "src"))).toBe(false)
    expect(fs.existsSync(path.join(runtime, "dist", "cli.cjs"))).toBe(true)
  })

  it("starts its CMD as a non-root user, which answers its HEALTHCHECK; the health check fails once it stops", async () => {
    const cmd = exec(one(runtimeStage, "CMD"))
    expect(cmd).toEqual(["agentmap", "serve", "--host", "0.0.0.0"])
    expect(one(runtimeStage, "EXPOSE")).toBe("8000")
    // serve's default port is the exposed one; here another free port stands in for it (AGENTMAP_HTTP__PORT)
    expect(asUser(["agentmap", "serve", "--help"]).stdout).toMatch(/--port[^\n]*\n?[^\n]*8000/)
    port = await freePort()
    env["AGENTMAP_HTTP__PORT"] = String(port)
    // as a user would: docker run ... agentmap auth generate-key (the key lands in the writable .agentmap)
    const key = asUser(["agentmap", "auth", "generate-key", "--name", "ops", "--json"])
    expect(key.status, key.stderr).toBe(0)
    const server = spawn(cmd[0]!, cmd.slice(1), { cwd: runtime, env, uid: USER.uid, gid: USER.gid })
    let log = ""
    server.stderr.on("data", (d: Buffer) => (log += d.toString()))
    try {
      for (let i = 0; i < 300 && !/serving http/.test(log); i++) await new Promise((r) => setTimeout(r, 100))
      expect(log).toContain(`serving http://0.0.0.0:${port}`)
      const probe = exec(one(runtimeStage, "HEALTHCHECK"))
      expect(probe[0]).toBe("agentmap") // no curl in node:20-slim
      const healthy = asUser(probe)
      expect({ status: healthy.status, out: healthy.stdout }).toEqual({ status: 0, out: expect.stringMatching(/ok/) })
      const run = await fetch(`http://127.0.0.1:${port}/execute/hello_world/HelloWorld`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": JSON.parse(key.stdout).key as string },
        body: JSON.stringify({ state: { name: "Ada" } })
      })
      expect(((await run.json()) as { outputs: Record<string, unknown> }).outputs["greeting"]).toMatch(/Ada/)
    } finally {
      server.kill("SIGTERM")
      await new Promise((r) => server.once("exit", r))
    }
    const down = asUser(exec(one(runtimeStage, "HEALTHCHECK")))
    expect(down.status).toBe(1)
    expect(down.stderr).toMatch(/unreachable/)
  }, 120_000)
})

describe("infra/docker/compose.yaml", () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, "infra/docker/compose.yaml"), "utf8"), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; healthcheck?: { test: Array<string> }; build?: unknown; ports?: Array<string>; command?: Array<string>; depends_on?: Record<string, { condition: string }> }>
  }
  const servers = Object.entries(compose.services).filter(([, s]) => s.build !== undefined)

  it("runs two AgentMap servers on one Postgres, each with a health check", () => {
    expect(servers.map(([name]) => name)).toEqual(["agentmap-1", "agentmap-2"])
    const urls = new Set(servers.map(([, s]) => s.environment?.["AGENTMAP_POSTGRES_URL"]))
    expect(urls.size).toBe(1)
    const url = new URL([...urls][0]!)
    expect(url.hostname).toBe("postgres")
    const pg = compose.services["postgres"]!
    expect(url.pathname.slice(1)).toBe(pg.environment?.["POSTGRES_DB"])
    expect(decodeURIComponent(url.username)).toBe(pg.environment?.["POSTGRES_USER"])
    for (const [, s] of servers) {
      expect(s.environment?.["AGENTMAP_PERSISTENCE__BACKEND"]).toBe("postgres")
      expect(s.healthcheck?.test).toEqual(["CMD", ...exec(one(runtimeStage, "HEALTHCHECK"))])
      expect(s.depends_on?.["postgres"]?.condition).toBe("service_healthy")
      expect(s.ports).toBeUndefined()
    }
    expect(pg.healthcheck?.test).toContain("pg_isready")
  })

  it("publishes one port, the proxy's, which sends to both servers and has a health check", () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports !== undefined)
    expect(published.map(([name, s]) => [name, s.ports])).toEqual([["proxy", ["8000:8000"]]])
    const proxy = compose.services["proxy"]!
    expect(proxy.command?.join(" ")).toMatch(/--to agentmap-1:8000 --to agentmap-2:8000/)
    expect(proxy.healthcheck?.test.join(" ")).toMatch(/\/health/)
    expect(Object.keys(proxy.depends_on ?? {})).toEqual(["agentmap-1", "agentmap-2"])
  })
})
