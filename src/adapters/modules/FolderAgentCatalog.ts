import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Layer } from "effect"
import { parseDocument } from "yaml"
import { customAgentTypeFromFile, MODULE_EXTENSIONS, normalizeAgentType } from "../../domain/AgentType.js"
import type { AgentDefinition } from "../../ports/AgentDefinition.js"
import { CatalogError, CustomAgentCatalog, type CustomAgentEntry } from "../../ports/CustomAgentCatalog.js"

export interface CatalogOptions {
  /** `paths.custom_agents`, absolute. */
  readonly directory: string
  /** Agents registered in code (`createAgentMap({ agents })`); they win over files of the same type. */
  readonly agents?: Readonly<Record<string, AgentDefinition<never>>> | undefined
}

const MANIFEST = "custom_agents.yaml"

const positionOf = (text: string, offset: number | undefined) => {
  if (offset === undefined) return { line: 1, column: 1 }
  const before = text.slice(0, offset).split("\n")
  return { line: before.length, column: before[before.length - 1]!.length + 1 }
}

/** A module reference in the manifest: a path (`./weather.ts`), a file name without extension, or upstream's `class_path` / `class`. */
const findModule = (directory: string, files: ReadonlyArray<string>, ref: string): string | undefined => {
  const direct = path.resolve(directory, ref)
  if (MODULE_EXTENSIONS.some((e) => direct.endsWith(e)) && fs.existsSync(direct)) return direct
  for (const ext of MODULE_EXTENSIONS) if (fs.existsSync(`${direct}${ext}`)) return `${direct}${ext}`
  // upstream: `custom_agents.weather_agent.WeatherAgent` or a class name `WeatherAgent`
  const segments = ref.replace(/\.py$/, "").split(/[./\\]/).filter((s) => s !== "")
  for (const candidate of [...segments].reverse()) {
    const type = normalizeAgentType(candidate)
    const file = files.find((f) => customAgentTypeFromFile(f) === type)
    if (file !== undefined) return path.join(directory, file)
  }
  return undefined
}

const readManifest = (directory: string, files: ReadonlyArray<string>): Array<CustomAgentEntry> => {
  const file = path.join(directory, MANIFEST)
  if (!fs.existsSync(file)) return []
  const text = fs.readFileSync(file, "utf8")
  const doc = parseDocument(text)
  const fail = (offset: number | undefined, message: string) => new CatalogError({ file, ...positionOf(text, offset), message })
  if (doc.errors.length > 0) throw fail(doc.errors[0]!.pos[0], doc.errors[0]!.message)
  const agents = doc.get("agents", true) as { items?: ReadonlyArray<{ key: { value?: unknown; range?: [number] }; value: unknown }> } | undefined
  if (agents === undefined || agents === null) return []
  if (!Array.isArray(agents.items)) throw fail(undefined, "`agents` should map agent type names to { module, export, requires }")
  return agents.items.map((item) => {
    const name = String(item.key.value ?? "")
    const at = item.key.range?.[0]
    const spec = (item.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? {}
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw fail(at, `agent '${name}': expected { module, export, requires }`)
    const s = spec as Record<string, unknown>
    const ref = [s["module"], s["class_path"], s["class"]].find((v): v is string => typeof v === "string" && v.trim() !== "")
    if (ref === undefined) throw fail(at, `agent '${name}' names no module (give module: ./${name}.ts)`)
    const module = findModule(directory, files, ref)
    if (module === undefined) throw fail(at, `agent '${name}': module '${ref}' is not in ${directory} (looked for ${ref} and files named after it with ${MODULE_EXTENSIONS.join(", ")})`)
    const services = (s["requires"] as { services?: unknown } | undefined)?.services
    if (services !== undefined && !(Array.isArray(services) && services.every((x) => typeof x === "string")))
      throw fail(at, `agent '${name}': requires.services should be a list of service names`)
    return {
      type: normalizeAgentType(name),
      file: module,
      exportName: typeof s["export"] === "string" ? s["export"] : "default",
      requires: (services as ReadonlyArray<string> | undefined) ?? [],
      definition: undefined
    }
  })
}

/**
 * Custom agent types from `paths.custom_agents`: every module file registers the type its name
 * gives (`weather_agent.ts` → `weather`); `custom_agents.yaml` declares others explicitly. Read
 * only when a workflow names a type that is not built in, and again when the folder changes.
 */
export const make = (options: CatalogOptions) => {
  let cached: { version: string; entries: ReadonlyMap<string, CustomAgentEntry> } | undefined
  const version = () => {
    try {
      const dir = fs.statSync(options.directory).mtimeMs
      const manifest = fs.statSync(path.join(options.directory, MANIFEST), { throwIfNoEntry: false })?.mtimeMs ?? 0
      return `${dir}:${manifest}`
    } catch {
      return "none"
    }
  }
  const programmatic = Object.entries(options.agents ?? {}).map(
    ([name, definition]): CustomAgentEntry => ({ type: normalizeAgentType(name), file: undefined, exportName: "default", requires: [], definition: definition as AgentDefinition<unknown> })
  )
  const list = Effect.try({
    try: () => {
      const v = version()
      if (cached?.version === v) return cached.entries
      const files = v === "none" ? [] : fs.readdirSync(options.directory).filter((f) => customAgentTypeFromFile(f) !== undefined).sort()
      const entries = new Map<string, CustomAgentEntry>()
      for (const f of files) {
        const type = customAgentTypeFromFile(f)!
        // weather.ts beside weather.js (a compiled copy): the first in name order wins
        if (!entries.has(type)) entries.set(type, { type, file: path.join(options.directory, f), exportName: "default", requires: [], definition: undefined })
      }
      for (const e of readManifest(options.directory, files)) entries.set(e.type, e)
      for (const e of programmatic) entries.set(e.type, e)
      cached = { version: v, entries }
      return entries as ReadonlyMap<string, CustomAgentEntry>
    },
    catch: (e) => (e instanceof CatalogError ? e : new CatalogError({ file: path.join(options.directory, MANIFEST), line: 1, column: 1, message: e instanceof Error ? e.message : String(e) }))
  })
  return CustomAgentCatalog.of({ list, folder: options.directory })
}

export const layer = (options: CatalogOptions) => Layer.sync(CustomAgentCatalog, () => make(options))
