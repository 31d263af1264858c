import * as fs from "node:fs"
import { Effect, Layer } from "effect"
import { MODULE_EXTENSIONS } from "../../domain/AgentType.js"
import { HostServiceRegistry } from "../../ports/CustomAgentCatalog.js"
import { ModuleLoadError, UserModules } from "../../ports/UserModules.js"

export interface HostServicesOptions {
  /** Services handed in code (`createAgentMap({ services })`); they win over the module's. */
  readonly services?: Readonly<Record<string, unknown>> | undefined
  /** `paths.host_services`: a module default-exporting the record (an extension may be left off); absent: none. */
  readonly module?: string | undefined
}

export const moduleFile = (base: string | undefined) => {
  if (base === undefined) return undefined
  if (MODULE_EXTENSIONS.some((e) => base.endsWith(e)) && fs.existsSync(base)) return base
  return MODULE_EXTENSIONS.map((e) => `${base}${e}`).find((f) => fs.existsSync(f))
}

/** The host's services: a record handed in code, and/or the `paths.host_services` module, loaded on first use. */
export const layer = (options: HostServicesOptions) =>
  Layer.effect(
    HostServiceRegistry,
    Effect.gen(function* () {
      const modules = yield* UserModules
      const file = moduleFile(options.module)
      const given = options.services ?? {}
      const fromModule =
        file === undefined
          ? Effect.succeed({} as Readonly<Record<string, unknown>>)
          : modules.load(file).pipe(
              Effect.flatMap((ns) => {
                const record = ns["default"]
                return typeof record === "object" && record !== null && !Array.isArray(record)
                  ? Effect.succeed(record as Readonly<Record<string, unknown>>)
                  : Effect.fail(new ModuleLoadError({ file, message: `host services module ${file} should default-export an object of services ({ database, ... })` }))
              })
            )
      const services = yield* Effect.cached(Effect.map(fromModule, (loaded) => ({ ...loaded, ...given })))
      const source = [...(options.services !== undefined ? ["the services the host passed"] : []), ...(file !== undefined ? [file] : [])].join(" and ") || "none (no paths.host_services module, no services passed)"
      return HostServiceRegistry.of({ services, source })
    })
  )
