import { Context, Effect, Layer } from "effect"
import type { AgentDefinition } from "../ports/AgentDefinition.js"
import { CustomAgentCatalog, type CustomAgentEntry, HostServiceRegistry } from "../ports/CustomAgentCatalog.js"
import { DocumentStorage } from "../ports/DocumentStorage.js"
import { LanguageModels, LlmSettings } from "../ports/LanguageModels.js"
import { UserModules } from "../ports/UserModules.js"
import type { Agent } from "./agents/Agent.js"
import { customAgent } from "./agents/CustomAgent.js"

/** How a custom agent type resolved, for the plan (and `validate`). */
export type Resolution =
  | { readonly _tag: "Agent"; readonly agent: Agent; readonly file: string | undefined }
  | { readonly _tag: "Unknown"; readonly known: ReadonlyArray<string>; readonly folder: string }
  /** The module (or custom_agents.yaml) cannot be used: where and why. */
  | { readonly _tag: "Broken"; readonly file: string; readonly line: number; readonly column: number; readonly message: string }
  | { readonly _tag: "MissingServices"; readonly missing: ReadonlyArray<string>; readonly provided: ReadonlyArray<string>; readonly source: string }

export class CustomAgents extends Context.Tag("agentmap/CustomAgents")<
  CustomAgents,
  {
    /** The agent of a (normalised) type that is not built in. Loads its module on first use only. */
    readonly resolve: (type: string) => Effect.Effect<Resolution>
  }
>() {}

const isDefinition = (value: unknown): value is AgentDefinition<unknown> =>
  typeof value === "object" && value !== null && typeof (value as { run?: unknown }).run === "function"

const describe = (value: unknown) => (value === undefined ? "nothing" : value === null ? "null" : typeof value === "function" ? "a function" : Array.isArray(value) ? "an array" : typeof value === "object" ? `an object without a run function (keys: ${Object.keys(value).join(", ") || "none"})` : `a ${typeof value}`)

export const layer = Layer.effect(
  CustomAgents,
  Effect.gen(function* () {
    const catalog = yield* CustomAgentCatalog
    const modules = yield* UserModules
    const hostServices = yield* HostServiceRegistry
    const models = yield* LanguageModels
    const settings = yield* LlmSettings
    const storage = yield* DocumentStorage

    const definitionOf = (entry: CustomAgentEntry): Effect.Effect<AgentDefinition<unknown> | Resolution> => {
      if (entry.definition !== undefined)
        return Effect.succeed(
          isDefinition(entry.definition)
            ? entry.definition
            : { _tag: "Broken", file: "(agents passed in code)", line: 1, column: 1, message: `agent '${entry.type}' should be defineAgent({ run }); got ${describe(entry.definition)}` }
        )
      const file = entry.file!
      return modules.load(file).pipe(
        Effect.map((ns): AgentDefinition<unknown> | Resolution => {
          const exported = ns[entry.exportName]
          if (isDefinition(exported)) return exported
          const message =
            entry.exportName === "default" && exported === undefined
              ? `custom agent module has no default export; export default defineAgent({ run: (ctx) => ... })`
              : `custom agent module's ${entry.exportName === "default" ? "default export" : `export '${entry.exportName}'`} should be defineAgent({ run }) (an object with a run function); it is ${describe(exported)}`
          return { _tag: "Broken", file, line: 1, column: 1, message }
        }),
        Effect.catchAll((e) => Effect.succeed<Resolution>({ _tag: "Broken", file: e.file, line: e.line ?? 1, column: e.column ?? 1, message: e.message }))
      )
    }

    const resolve = (type: string): Effect.Effect<Resolution> =>
      Effect.gen(function* () {
        const listed = yield* catalog.list.pipe(Effect.either)
        if (listed._tag === "Left") {
          const e = listed.left
          return { _tag: "Broken", file: e.file, line: e.line, column: e.column, message: e.message } as const
        }
        const entry = listed.right.get(type)
        if (entry === undefined) return { _tag: "Unknown", known: [...listed.right.keys()], folder: catalog.folder } as const
        const definition = yield* definitionOf(entry)
        if ("_tag" in definition && typeof definition._tag === "string" && !isDefinition(definition)) return definition as Resolution
        const def = definition as AgentDefinition<unknown>
        const required = [...new Set([...(def.requires?.services ?? []), ...entry.requires])]
        const loaded = yield* hostServices.services.pipe(Effect.either)
        if (loaded._tag === "Left") {
          if (required.length === 0) return { _tag: "Agent", agent: customAgent(type, def, { models, settings, storage, services: {} }), file: entry.file } as const
          const e = loaded.left
          return { _tag: "Broken", file: e.file, line: e.line ?? 1, column: e.column ?? 1, message: `host services: ${e.message}` } as const
        }
        const services = loaded.right
        const missing = required.filter((s) => !(s in services))
        if (missing.length > 0) return { _tag: "MissingServices", missing, provided: Object.keys(services), source: hostServices.source } as const
        return { _tag: "Agent", agent: customAgent(type, def, { models, settings, storage, services }), file: entry.file } as const
      })

    return { resolve }
  })
)
