import { existsSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { fail } from "./Problems.js"

/**
 * The files of the API viewer (swagger-ui-dist) that /docs serves. A fixed list: a request names
 * one of these or gets a 404, so no path it sends can reach another file.
 */
const ASSETS: ReadonlyMap<string, string> = new Map([
  ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
  ["swagger-ui.css", "text/css; charset=utf-8"]
])

/** The folder the builds copy the viewer's files into, beside the bundle (dist/, or a cloud bundle's folder). */
const ASSET_FOLDER = "swagger-ui"

/**
 * Where the viewer's files are: beside the bundle this module was built into, or, running from
 * source, in the installed package.
 */
const assetFolder = (): string | undefined => {
  const beside = path.join(path.dirname(fileURLToPath(import.meta.url)), ASSET_FOLDER)
  if (existsSync(path.join(beside, "swagger-ui-bundle.js"))) return beside
  try {
    return path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"))
  } catch {
    return undefined
  }
}

// a source map the page does not ship would only be a 404 in the browser's developer tools
const withoutSourceMap = (text: string) => text.replace(/\n?(\/\/# sourceMappingURL=[^\n]*|\/\*# sourceMappingURL=[^*]*\*\/)\s*$/, "")

// read on the first request for each file (never at start: a cold container does not pay for them), then kept
const loaded = new Map<string, Promise<string>>()

const load = (name: string) => {
  const known = loaded.get(name)
  if (known !== undefined) return known
  const folder = assetFolder()
  const reading = folder === undefined ? Promise.reject(new Error("not installed")) : readFile(path.join(folder, name), "utf8").then(withoutSourceMap)
  loaded.set(name, reading)
  // a failed read is tried again by the next request
  reading.catch(() => loaded.delete(name))
  return reading
}

/** One of the viewer's files, with its content type and a day's caching; any other name is a 404. */
export const docsAsset = (name: string, correlationId: string) => {
  const contentType = ASSETS.get(name)
  if (contentType === undefined) return Effect.succeed(fail("NotFound", `no docs asset '${name}'`, { "x-correlation-id": correlationId }))
  return Effect.tryPromise(() => load(name)).pipe(
    Effect.map((text) => HttpServerResponse.text(text, { contentType, headers: { "cache-control": "public, max-age=86400" } })),
    Effect.catchAll(() =>
      Effect.succeed(
        fail("InternalError", `the API viewer's file ${name} is missing: the build copies it into ${ASSET_FOLDER}/ beside the bundle (npm run build)`, {
          "x-correlation-id": correlationId
        })
      )
    )
  )
}
