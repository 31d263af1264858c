import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Layer } from "effect"
import { parse as parseYaml } from "yaml"
import { StubWriteFailed, type UserCodeFolders, UserCodeFiles } from "../../ports/UserCodeFiles.js"

const DECLARATION_FILES = ["custom_agents.yaml", "custom_agents.yml"]

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** User code folders on the local file system. */
export const make = (folders: UserCodeFolders, cwd: string): UserCodeFiles["Type"] => ({
  folders,
  resolve: (base, relative) => path.resolve(base, relative),
  dirname: (file) => path.dirname(file),
  display: (file) => {
    const relative = path.relative(cwd, file)
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file
  },
  list: (folder) =>
    Effect.sync(() => {
      try {
        return fs
          .readdirSync(folder, { withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => e.name)
          .sort()
      } catch {
        return []
      }
    }),
  read: (file) =>
    Effect.sync(() => {
      try {
        return fs.readFileSync(file, "utf8")
      } catch {
        return undefined
      }
    }),
  declaredAgentTypes: (folder) =>
    Effect.sync(() => {
      for (const name of DECLARATION_FILES) {
        let text: string
        try {
          text = fs.readFileSync(path.join(folder, name), "utf8")
        } catch {
          continue
        }
        try {
          const doc = parseYaml(text) as unknown
          const agents = isRecord(doc) ? doc["agents"] : undefined
          return isRecord(agents) ? Object.keys(agents) : []
        } catch {
          // a broken declaration file is the loader's to report; scaffold then trusts the files alone
          return []
        }
      }
      return []
    }),
  write: (file, text) =>
    Effect.try({
      try: () => {
        fs.mkdirSync(path.dirname(file), { recursive: true })
        fs.writeFileSync(file, text)
      },
      catch: (e) => new StubWriteFailed({ file, message: `cannot write '${file}': ${e instanceof Error ? e.message : String(e)}` })
    })
})

export const layer = (folders: UserCodeFolders, cwd: string) => Layer.succeed(UserCodeFiles, make(folders, cwd))
