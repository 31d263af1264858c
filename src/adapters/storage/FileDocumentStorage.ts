import * as fs from "node:fs"
import * as path from "node:path"
import { parse } from "csv-parse/sync"
import { stringify } from "csv-stringify/sync"
import { Effect, Layer } from "effect"
import type { Json, JsonObject } from "../../domain/Json.js"
import { DocumentStorage, StorageError, type WriteMode } from "../../ports/DocumentStorage.js"
import { isInside } from "../repository/SafePath.js"

const reasonOf = (e: unknown) => {
  const code = (e as { code?: string }).code
  if (code === "ENOENT") return "no such file"
  if (code === "EACCES" || code === "EPERM") return "permission denied"
  if (code === "EISDIR") return "is a folder, not a file"
  return e instanceof Error ? e.message.replace(/^[A-Z]+: /, "") : String(e)
}

/** The real path behind `relative`, or why it may not be used: absolute paths, `..`, and symlinks out of the folder are refused. */
const locate = (root: string, relative: string): string | StorageError => {
  const refuse = (why: string) => new StorageError({ path: relative, message: `storage path '${relative}' ${why}` })
  if (relative.trim() === "") return refuse("is empty")
  if (relative.includes("\0")) return refuse("contains a NUL byte")
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative) || /^[A-Za-z]:/.test(relative)) return refuse("is absolute: give a path inside the storage folder")
  if (relative.split(/[\\/]/).includes("..")) return refuse("climbs out of the storage folder ('..')")
  const target = path.resolve(root, relative)
  // the nearest existing ancestor, through symlinks, must still be inside the folder
  let existing = target
  while (!fs.existsSync(existing) && existing !== root) existing = path.dirname(existing)
  const realRoot = fs.existsSync(root) ? fs.realpathSync(root) : root
  const realExisting = fs.existsSync(existing) ? fs.realpathSync(existing) : existing
  if (!isInside(realRoot, realExisting)) return refuse("leads outside the storage folder")
  return target
}

export const make = (root: string): DocumentStorage["Type"] => {
  const at = (relative: string) => {
    const located = locate(root, relative)
    return typeof located === "string" ? Effect.succeed(located) : Effect.fail(located)
  }
  const attempt = <A>(relative: string, what: string, f: () => A) =>
    Effect.try({ try: f, catch: (e) => new StorageError({ path: relative, message: `cannot ${what} '${relative}': ${reasonOf(e)}` }) })
  /** Writes through a temporary file and a rename: readers see the old file or the new one, never half. */
  const replace = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`
    fs.writeFileSync(temporary, text)
    fs.renameSync(temporary, file)
  }
  const readText = (relative: string) => Effect.flatMap(at(relative), (file) => attempt(relative, "read", () => fs.readFileSync(file, "utf8")))
  const readCsv = (relative: string) =>
    Effect.flatMap(readText(relative), (text) =>
      attempt(relative, "parse the CSV", () => parse(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as ReadonlyArray<JsonObject>)
    )
  const readJson = (relative: string) => Effect.flatMap(readText(relative), (text) => attempt(relative, "parse the JSON", () => JSON.parse(text) as Json))
  const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v))
  return {
    readText,
    writeText: (relative, text, mode) =>
      Effect.flatMap(at(relative), (file) =>
        attempt(relative, "write", () => {
          const existed = fs.existsSync(file)
          replace(file, mode === "append" && existed ? fs.readFileSync(file, "utf8") + text : text)
          return { path: relative, mode, created: !existed, bytes: Buffer.byteLength(text) }
        })
      ),
    readCsv,
    writeCsv: (relative, rows, mode) =>
      Effect.gen(function* () {
        const file = yield* at(relative)
        const existed = fs.existsSync(file)
        const before = mode === "append" && existed ? yield* readCsv(relative) : []
        const all = [...before, ...rows]
        const header = [...new Set(all.flatMap((r) => Object.keys(r)))]
        const text = stringify(all.map((r) => header.map((h) => cell(r[h]))), { header: true, columns: header })
        yield* attempt(relative, "write", () => replace(file, text))
        return { path: relative, mode, created: !existed, rows: rows.length }
      }),
    readJson,
    writeJson: (relative, value, mode: WriteMode) =>
      Effect.gen(function* () {
        const file = yield* at(relative)
        const existed = fs.existsSync(file)
        let document: Json = value
        if (mode === "append") {
          const current = existed ? yield* readJson(relative) : []
          if (!Array.isArray(current)) return yield* new StorageError({ path: relative, message: `cannot append to '${relative}': it does not hold a JSON array` })
          document = [...current, value]
        }
        yield* attempt(relative, "write", () => replace(file, `${JSON.stringify(document, null, 2)}\n`))
        return { path: relative, mode, created: !existed }
      })
  }
}

/** Files under `root` (created on first write). */
export const layer = (options: { readonly root: string }) => Layer.sync(DocumentStorage, () => make(options.root))
