import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createWebHandler } from "../../src/main/index.js"
import { type DocsView, fetched, offHostLoads, typeFor, viewDocs } from "../support/docs.js"
import { type RunningServer, call, createKey, startServer } from "../support/server.js"
import { workspace } from "../support/workspace.js"

const files = { "workflows/greet.csv": "GraphName,Node,AgentType,Input_Fields,Output_Field\nG,Say,echo,name,greeting\n" }

/** The page works offline: it names no other host, and each thing it loads is there with the type a browser needs. */
const expectServed = (view: DocsView) => {
  expect([view.page.status, view.page.contentType]).toEqual([200, expect.stringContaining("text/html")])
  expect(view.page.text).not.toMatch(/https?:\/\//)
  // relative to the page, so a prefix (or a gateway stage the server does not see) stays in every URL
  for (const { ref } of view.assets) expect(ref, ref).not.toMatch(/^(\/|[a-z]+:)/i)
  expect(view.assets.map((a) => a.ref)).toEqual(expect.arrayContaining([expect.stringMatching(/\.js$/), expect.stringMatching(/\.css$/), "openapi.json"]))
  for (const asset of view.assets) {
    expect({ ref: asset.ref, status: asset.status, type: asset.contentType.split(";")[0] }).toEqual({ ref: asset.ref, status: 200, type: typeFor(asset.ref) })
    expect({ ref: asset.ref, offHost: offHostLoads(asset.ref, asset.text) }).toEqual({ ref: asset.ref, offHost: [] })
  }
}

describe("/docs under agentmap serve", () => {
  let server: RunningServer
  beforeAll(async () => {
    const dir = workspace(files)
    createKey(dir, "docs")
    server = await startServer(dir)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it("serves the viewer from the package: no absolute URL in the page, every file it loads answers 200 with its content type", async () => {
    const view = await viewDocs(`${server.url}/docs`, async (url) => fetched(await fetch(url)))
    expectServed(view)
    const viewer = view.assets.filter((a) => a.url.startsWith("/docs/"))
    expect(viewer.map((a) => a.url).sort()).toEqual(["/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css"])
    for (const asset of viewer) expect(asset.cacheControl, asset.ref).toMatch(/max-age=\d+/)
    // Swagger UI's one request to another host, its validator badge, is switched off
    expect(view.page.text).toMatch(/validatorUrl: null/)
  })

  it("gives the viewer an OpenAPI document whose every $ref resolves (else it shows resolver errors instead of the bodies)", async () => {
    const openapi = (await call(`${server.url}/openapi.json`)).body
    const refs = [...JSON.stringify(openapi).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(3)
    const resolve = (pointer: string) => pointer.split("/").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], openapi)
    expect(refs.filter((r) => resolve(r) === undefined)).toEqual([])
    expect(openapi["components"]).toMatchObject({ securitySchemes: { apiKey: { type: "apiKey" }, bearer: { type: "http" } } })
  })

  it("sends /docs/ to /docs, where the page's relative references resolve", async () => {
    const slash = await fetch(`${server.url}/docs/`, { redirect: "manual" })
    expect([slash.status, slash.headers.get("location")]).toEqual([301, "../docs"])
    const followed = await fetch(`${server.url}/docs/`)
    expect([followed.status, followed.url]).toEqual([200, `${server.url}/docs`])
  })

  it("serves only the viewer's own files under /docs/", async () => {
    for (const path of ["/docs/package.json", "/docs/..%2F..%2Fpackage.json", "/docs/%2e%2e%2fpackage.json", "/docs/swagger-ui.css.map", "/docs/index.html", "/docs/constructor", "/docs/LICENSE"]) {
      const r = await call(`${server.url}${path}`)
      expect({ path, status: r.status, error: r.body["error"] }).toEqual({ path, status: 404, error: "NotFound" })
    }
  })
})

describe("/docs embedded under a prefix", () => {
  it("references the viewer and the OpenAPI document under the prefix, and serves them there", async () => {
    const dir = workspace({ ...files, "agentmap_config.yaml": "persistence:\n  backend: memory\nauth:\n  enabled: false\n" })
    const { handler, dispose } = createWebHandler({ cwd: dir, prefix: "/am" })
    try {
      const view = await viewDocs("http://host/am/docs", async (url) => fetched(await handler(new Request(url))))
      expectServed(view)
      expect(view.assets.map((a) => a.url).sort()).toEqual(["/am/docs/swagger-ui-bundle.js", "/am/docs/swagger-ui.css", "/am/openapi.json"])
    } finally {
      await dispose()
    }
  })
})
