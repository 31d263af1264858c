import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { SignJWT } from "jose"
import { type BrowserContext, type Page, chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createWebHandler } from "../../src/main/index.js"
import { type RunningServer, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

// The web inspector at /ui driven in a real browser (Debian's chromium): sign in, a diagram, a
// streamed run, a suspended run approved from its thread page, a second tab's 409, a failed run.
// Every page is checked with axe-core and screenshotted into test/ui/screenshots/ (git-ignored).

const HEADER = "GraphName,Node,AgentType,Input_Fields,Output_Field,Success_Next,Failure_Next,Prompt,Context"
const files = {
  "workflows/demo.csv": [
    HEADER,
    "Chain,First,echo,name,a,Second,,Say {name},",
    "Chain,Second,echo,a,b,Third,,,",
    "Chain,Third,echo,b,c,,,,",
    `Approval,Ask,human,doc,approved,Publish,,Approve {doc}?,"{""interaction_type"": ""approval""}"`,
    "Approval,Publish,echo,approved,out,,,,",
    "Broken,Read,file_reader,collection,doc,,,,",
    "Fan,Start,echo,x,y,Left|Right,,,",
    "Fan,Left,echo,y,l,,,,",
    "Fan,Right,echo,y,r,,,,",
    `Pick,Choose,human,topic,picked,Done,,Pick a colour for {topic},"{""interaction_type"": ""choice"", ""options"": [""red"", ""green""]}"`,
    "Pick,Done,echo,picked,out,,,,",
    "Join,Split,echo,x,y,Up|Down,,,",
    "Join,Up,echo,y,u,Merge,,,",
    "Join,Down,echo,y,d,Merge,,,",
    "Join,Merge,echo,u|d,m,,,,",
    `Answer,Type,human,topic,typed,,,Your name?,"{""interaction_type"": ""text_input""}"`
  ].join("\n") + "\n",
  "workflows/bad.csv": `${HEADER}\nLost,Start,echo,x,y,Nowhere,,,\n`
}

const JWT_SECRET = "a-test-secret-that-is-long-enough-for-hs256"

const SHOTS = path.join(import.meta.dirname, "screenshots")
const AXE = fs.readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve("axe-core/package.json")), "axe.min.js"), "utf8")

interface Violation {
  readonly id: string
  readonly impact: string | null
  readonly nodes: ReadonlyArray<{ readonly target: ReadonlyArray<unknown> }>
}

/** axe-core's serious and critical violations on the page as it is now. */
const accessibilityProblems = async (page: Page) => {
  // evaluated through the debugging protocol: the page's Content-Security-Policy (script-src 'self') stays on
  await page.evaluate(AXE)
  const violations = await page.evaluate(async () => ((await (window as unknown as { axe: { run: () => Promise<{ violations: unknown }> } }).axe.run()).violations) as ReadonlyArray<Violation>)
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`)
}

const checkPage = async (page: Page, name: string) => {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
  expect(await accessibilityProblems(page), name).toEqual([])
}

describe("web inspector at /ui", () => {
  let server: RunningServer
  // a second server taking JWTs signed with JWT_SECRET (auth.jwt.secret)
  let jwtServer: RunningServer
  let key: string
  let context: BrowserContext
  let profile: string
  // console errors of every page, but a 409 the second tab is meant to get
  const consoleErrors: string[] = []

  /** A tab; `expects409`: the browser's own log line for the 409 this tab is meant to get is not an error of the page. */
  const newPage = async (expects409 = false) => {
    const page = await context.newPage()
    page.on("console", (m) => {
      if (m.type() === "error" && !(expects409 && /status of 409/.test(m.text()))) consoleErrors.push(`${page.url()}: ${m.text()}`)
    })
    page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`))
    return page
  }

  const signIn = async (page: Page) => {
    await page.goto(`${server.url}/ui`)
    await page.getByRole("textbox", { name: "API key" }).fill(key)
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.getByRole("heading", { name: "Workflows" }).waitFor()
  }

  /** Runs `graph` of demo from its page with the given input fields; the result's status. */
  const runGraph = async (page: Page, graph: string, fields: Record<string, string>) => {
    await page.goto(`${server.url}/ui/#/workflows/demo/${graph}`)
    await page.locator("svg g[data-node]").first().waitFor()
    for (const [field, value] of Object.entries(fields)) await page.getByLabel(field, { exact: true }).fill(value)
    await page.getByRole("button", { name: "Run", exact: true }).click()
    const result = page.locator(".result[data-status]")
    await result.waitFor()
    return result.getAttribute("data-status")
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true })
    const dir = workspace(files)
    key = createKey(dir, "inspector")
    server = await startServer(dir)
    const jwtDir = workspace({ ...files, "agentmap_config.yaml": "auth:\n  jwt:\n    secret: env:JWT_SECRET\n" })
    jwtServer = await startServer(jwtDir, [], { JWT_SECRET })
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-chromium-"))
    // a fresh profile (--user-data-dir): Playwright takes it as launchPersistentContext's folder
    context = await chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
      viewport: { width: 1280, height: 900 }
    })
  }, 90_000)

  afterAll(async () => {
    await context?.close()
    await server?.stop()
    await jwtServer?.stop()
    if (profile !== undefined) fs.rmSync(profile, { recursive: true, force: true })
  })

  it("signs in with an API key kept in the tab and lists the workflows (a wrong key is refused)", async () => {
    const page = await newPage()
    await page.goto(`${server.url}/ui`)
    expect(page.url()).toBe(`${server.url}/ui/`)
    await checkPage(page, "sign-in")
    await page.getByRole("textbox", { name: "API key" }).fill("not-a-key")
    await page.getByRole("button", { name: "Sign in" }).click()
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/Sign-in failed/)
    // the browser logs the refused key's 401 itself: that one is the point of this step
    const refused = consoleErrors.findIndex((e) => /status of 401/.test(e))
    expect(refused).toBeGreaterThanOrEqual(0)
    consoleErrors.splice(refused, 1)
    await page.getByRole("textbox", { name: "API key" }).fill(key)
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.getByRole("link", { name: "demo", exact: true }).waitFor()
    expect(await page.evaluate(() => JSON.parse(sessionStorage.getItem("agentmap.credential") ?? "{}"))).toEqual({ kind: "key", value: key })
    expect((await context.cookies()).length).toBe(0)
    await checkPage(page, "workflows")
    await page.close()
  }, 60_000)

  it("signs in with a JWT (sent as a bearer token) and lists the workflows", async () => {
    const jwt = await new SignJWT({ sub: "alice", permissions: ["read", "execute"] })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(JWT_SECRET))
    // that server wants a credential: the listing below is the token's doing
    expect((await fetch(`${jwtServer.url}/workflows`)).status).toBe(401)
    const page = await newPage()
    const authorizations: string[] = []
    page.on("request", (r) => {
      if (r.url().endsWith("/workflows")) authorizations.push(r.headers()["authorization"] ?? "")
    })
    await page.goto(`${jwtServer.url}/ui`)
    await page.getByRole("radio", { name: /JWT/ }).check()
    await page.getByRole("textbox", { name: "JWT" }).fill(jwt)
    await checkPage(page, "sign-in-jwt")
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.getByRole("link", { name: "demo", exact: true }).waitFor()
    expect(authorizations).toContain(`Bearer ${jwt}`)
    expect(await page.evaluate(() => JSON.parse(sessionStorage.getItem("agentmap.credential") ?? "{}"))).toEqual({ kind: "jwt", value: jwt })
    expect((await context.cookies()).length).toBe(0)
    await page.close()
  }, 60_000)

  it("draws a workflow's diagram with its nodes, edges by kind and node details; an invalid one shows its diagnostics", async () => {
    const page = await newPage()
    await signIn(page)
    await page.getByRole("link", { name: "Chain" }).click()
    const nodes = page.locator("svg g[data-node]")
    await nodes.first().waitFor()
    expect(await nodes.evaluateAll((gs) => gs.map((g) => g.getAttribute("data-node")))).toEqual(["First", "Second", "Third"])
    expect(await page.locator("svg path.edge").evaluateAll((ps) => ps.map((p) => p.getAttribute("data-kind")))).toEqual(["success", "success"])
    await page.getByRole("button", { name: "First", exact: true }).click()
    const details = page.getByRole("complementary", { name: "node details" })
    await expect(details.textContent()).resolves.toMatch(/Agent typeecho.*PromptSay \{name\}.*Inputsname.*Outputa/)
    await checkPage(page, "workflow")
    // a fan-out's edges are drawn as parallel ones
    await page.goto(`${server.url}/ui/#/workflows/demo/Fan`)
    await page.locator("svg g[data-node='Right']").waitFor()
    expect(await page.locator("svg path.edge").evaluateAll((ps) => ps.map((p) => p.getAttribute("data-kind")))).toEqual(["parallel", "parallel"])
    // where the branches meet: a join, with a double border and "join" in its name
    await page.goto(`${server.url}/ui/#/workflows/demo/Join`)
    await page.locator("svg g[data-node='Merge']").waitFor()
    expect(await page.locator("svg g[data-join='true']").evaluateAll((gs) => gs.map((g) => [g.getAttribute("data-node"), g.querySelectorAll("rect").length, g.textContent]))).toEqual([
      ["Merge", 2, "joinMergeecho"]
    ])
    await page.getByRole("button", { name: "Merge (join)", exact: true }).waitFor()
    expect(await page.getByRole("button", { name: "Split", exact: true }).count()).toBe(1)
    await checkPage(page, "workflow-join")
    await page.goto(`${server.url}/ui/#/workflows/bad`)
    const diagnostics = page.getByRole("region", { name: "validation diagnostics" })
    await diagnostics.waitFor()
    await expect(diagnostics.textContent()).resolves.toMatch(/routes to 'Nowhere', which is not a node/)
    // and on the diagram: the node routing nowhere and the missing target are marked
    await page.locator("svg g[data-node='Nowhere']").waitFor()
    expect(await page.locator("svg g[data-invalid='true']").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-node")))).toEqual(["Start", "Nowhere"])
    await checkPage(page, "workflow-invalid")
    await page.close()
  }, 60_000)

  it("runs a workflow over the stream: every node ends succeeded, with a timeline and the result", async () => {
    const page = await newPage()
    await signIn(page)
    expect(await runGraph(page, "Chain", { name: "Ann" })).toBe("completed")
    expect(await page.locator("svg g[data-node]").evaluateAll((gs) => gs.map((g) => [g.getAttribute("data-node"), g.getAttribute("data-state")]))).toEqual([
      ["First", "succeeded"],
      ["Second", "succeeded"],
      ["Third", "succeeded"]
    ])
    expect(await page.locator(".timeline li").evaluateAll((ls) => ls.map((l) => l.getAttribute("data-node")))).toEqual(["First", "Second", "Third"])
    await expect(page.getByLabel("result outputs").textContent()).resolves.toMatch(/"c": "Say Ann"/)
    await checkPage(page, "run")
    await page.close()
  }, 60_000)

  it("approves a suspended run from its thread page; a second tab answering the same interrupt sees the 409", async () => {
    const first = await newPage()
    await signIn(first)
    expect(await runGraph(first, "Approval", { doc: "Q3 report" })).toBe("suspended")
    await first.getByRole("link", { name: /^thread / }).click()
    await first.getByRole("button", { name: "Approve" }).waitFor()
    const threadUrl = first.url()
    await expect(first.getByRole("region", { name: /Waiting at Ask/ }).textContent()).resolves.toMatch(/Approve Q3 report\?/)
    await checkPage(first, "thread-suspended")

    const second = await newPage(true)
    await signIn(second)
    await second.goto(threadUrl)
    await second.getByRole("button", { name: "Approve" }).waitFor()

    await first.getByRole("button", { name: "Approve" }).click()
    await expect(first.getByTestId("thread-status").filter({ hasText: "completed" }).textContent()).resolves.toBe("completed")
    await checkPage(first, "thread-completed")

    await second.getByRole("button", { name: "Approve" }).click()
    const alert = second.getByRole("alert")
    await alert.waitFor()
    await expect(alert.textContent()).resolves.toMatch(/Someone else already answered this interrupt \(409\)/)
    await checkPage(second, "thread-409")
    await second.getByRole("button", { name: "Show the thread as it is now" }).click()
    await expect(second.getByTestId("thread-status").filter({ hasText: "completed" }).textContent()).resolves.toBe("completed")
    await first.close()
    await second.close()
  }, 90_000)

  /** Runs `graph` to its interrupt and opens the suspended thread's page. */
  const suspendedThread = async (page: Page, graph: string, fields: Record<string, string>) => {
    expect(await runGraph(page, graph, fields)).toBe("suspended")
    await page.getByRole("link", { name: /^thread / }).click()
    await page.getByTestId("thread-status").filter({ hasText: "suspended" }).waitFor()
  }

  const completedState = async (page: Page) => {
    await expect(page.getByTestId("thread-status").filter({ hasText: "completed" }).textContent()).resolves.toBe("completed")
    return JSON.parse((await page.getByLabel("thread state").textContent()) ?? "{}") as Record<string, unknown>
  }

  it("answers a choice interrupt with one of its options and a text_input one with typed text", async () => {
    const page = await newPage()
    await signIn(page)
    await suspendedThread(page, "Pick", { topic: "the shed" })
    await expect(page.getByRole("region", { name: /Waiting at Choose/ }).textContent()).resolves.toMatch(/Pick a colour for the shed/)
    await page.getByRole("radio", { name: "green" }).check()
    await checkPage(page, "thread-choice")
    await page.getByRole("button", { name: "Resume" }).click()
    expect(await completedState(page)).toMatchObject({ picked: "green", out: "green" })

    await suspendedThread(page, "Answer", { topic: "names" })
    await page.getByRole("textbox", { name: "Answer" }).fill("Ann Lee")
    await checkPage(page, "thread-text-input")
    await page.getByRole("button", { name: "Resume" }).click()
    expect(await completedState(page)).toMatchObject({ typed: "Ann Lee" })
    await page.close()
  }, 90_000)

  it("shows a failed run's error on the run and on its thread page, and finds it in the threads list by status", async () => {
    const page = await newPage()
    await signIn(page)
    expect(await runGraph(page, "Broken", { collection: "missing.txt" })).toBe("failed")
    expect(await page.locator("svg g[data-node='Read']").getAttribute("data-state")).toBe("failed")
    await expect(page.locator(".result").textContent()).resolves.toMatch(/cannot read 'missing.txt'/)
    await page.goto(`${server.url}/ui/#/threads?status=failed`)
    const rows = page.locator("tbody tr")
    await rows.first().waitFor()
    expect(await rows.count()).toBe(1)
    await checkPage(page, "threads")
    await rows.first().getByRole("link").click()
    await expect(page.getByTestId("thread-status").textContent()).resolves.toBe("failed")
    await expect(page.getByRole("region", { name: "Errors" }).textContent()).resolves.toMatch(/cannot read 'missing.txt'/)
    await checkPage(page, "thread-failed")
    // newest first: this failed run heads the unfiltered list
    await page.goto(`${server.url}/ui/#/threads`)
    await page.locator("tbody tr").first().waitFor()
    expect(await page.locator("tbody tr").count()).toBeGreaterThan(1)
    expect(await page.locator("tbody tr .badge").first().textContent()).toBe("failed")
    await page.close()
  }, 60_000)

  it("left no console error on any page", () => {
    expect(consoleErrors).toEqual([])
  })
})

describe("/ui switched off and embedded", () => {
  it("answers 404 with http.ui: false, and serves the page under an embedding prefix", async () => {
    const off = workspace({ ...files, "agentmap_config.yaml": "persistence:\n  backend: memory\nauth:\n  enabled: false\nhttp:\n  ui: false\n" })
    const a = createWebHandler({ cwd: off, prefix: "/am" })
    const on = workspace({ ...files, "agentmap_config.yaml": "persistence:\n  backend: memory\nauth:\n  enabled: false\n" })
    const b = createWebHandler({ cwd: on, prefix: "/am" })
    try {
      expect((await a.handler(new Request("http://host/am/ui/"))).status).toBe(404)
      const redirect = await b.handler(new Request("http://host/am/ui"))
      expect([redirect.status, redirect.headers.get("location")]).toEqual([301, "ui/"])
      const page = await b.handler(new Request("http://host/am/ui/"))
      const html = await page.text()
      expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"])
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1]
      expect(script).toBeDefined()
      const asset = await b.handler(new Request(`http://host/am/ui/${script}`))
      expect([asset.status, asset.headers.get("content-type")]).toEqual([200, "text/javascript; charset=utf-8"])
      // only the build's own files: any other name under /ui/ is the page, never another file
      for (const p of ["/am/ui/..%2F..%2Fpackage.json", "/am/ui/assets/..%2f..%2f..%2fpackage.json", "/am/ui/threads/x", "/am/ui/vite.config.ts"]) {
        const other = await b.handler(new Request(`http://host${p}`))
        expect([p, other.headers.get("content-type"), (await other.text()).includes('<div id="app">')]).toEqual([p, "text/html; charset=utf-8", true])
      }
    } finally {
      await a.dispose()
      await b.dispose()
    }
  })
})
