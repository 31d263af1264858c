import { existsSync, readdirSync } from "node:fs"
import { readFile } from "node:fs/promises"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { fail } from "./Problems.js"

/**
 * The web inspector's files (README "Web inspector (/ui)"), built by scripts/build.mjs from ui/
 * into ui/ beside the bundle. The set of names is the build folder's listing, read once: a request
 * names one of them or gets index.html (the page routes itself), so no path it sends reaches
 * another file.
 */
const ASSET_FOLDER = "ui"

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2"
}

/** Beside the bundle (dist/ui), or, running from source, the package's dist/ui. */
const uiFolder = (): string | undefined => {
  const here = path.dirname(fileURLToPath(import.meta.url))
  for (const folder of [path.join(here, ASSET_FOLDER), path.resolve(here, "..", "..", "..", "dist", ASSET_FOLDER)]) {
    if (existsSync(path.join(folder, "index.html"))) return folder
  }
  return undefined
}

const listing = (folder: string, prefix = ""): ReadonlyArray<string> =>
  readdirSync(path.join(folder, prefix), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listing(folder, `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))

let known: { readonly folder: string; readonly names: ReadonlySet<string> } | undefined

const files = () => {
  if (known !== undefined) return known
  const folder = uiFolder()
  if (folder === undefined) return undefined
  known = { folder, names: new Set(listing(folder).filter((n) => TYPES[path.extname(n)] !== undefined)) }
  return known
}

const loaded = new Map<string, Promise<Uint8Array>>()
const load = (folder: string, name: string) => {
  const cached = loaded.get(name)
  if (cached !== undefined) return cached
  const reading = readFile(path.join(folder, name))
  loaded.set(name, reading)
  reading.catch(() => loaded.delete(name))
  return reading
}

/**
 * The file `name` (relative to the inspector's folder, from the request path after `/ui/`), or
 * index.html for any other name. Hashed assets are cached for a year, the page never.
 */
export const uiAsset = (name: string, correlationId: string) => {
  const set = files()
  if (set === undefined) {
    return Effect.succeed(fail("NotFound", "the web inspector is not built: npm run build builds it into ui/ beside the bundle", { "x-correlation-id": correlationId }))
  }
  const file = set.names.has(name) ? name : "index.html"
  const contentType = TYPES[path.extname(file)]!
  return Effect.tryPromise(() => load(set.folder, file)).pipe(
    Effect.map((body) =>
      HttpServerResponse.uint8Array(body, {
        contentType,
        headers: {
          "cache-control": file.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
          "x-content-type-options": "nosniff",
          ...(file === "index.html" ? { "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'" } : {})
        }
      })
    ),
    Effect.catchAll(() => Effect.succeed(fail("InternalError", `the web inspector's file ${file} could not be read`, { "x-correlation-id": correlationId })))
  )
}
