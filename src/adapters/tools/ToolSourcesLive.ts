import * as path from "node:path"
import { Effect, Layer } from "effect"
import { isPythonReference } from "../../domain/ToolList.js"
import { type LocatedTools, type RunnableTool, ToolSourceError, ToolSources } from "../../ports/Tools.js"
import { UserModules } from "../../ports/UserModules.js"
import type { McpServerConfig } from "../config/McpConfig.js"
import type { McpConnection } from "./McpConnections.js"
import { candidates } from "./ToolModulePaths.js"

export interface ToolSourceOptions {
  /** `paths.custom_tools`, absolute. */
  readonly customTools: string
  /** `mcp.servers`. */
  readonly mcpServers: Readonly<Record<string, McpServerConfig>>
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e))

/**
 * Tool modules and MCP servers. Modules load through UserModules (TypeScript compiled and cached);
 * the code that recognises tools and speaks MCP loads on first use, so workflows without tools
 * start as fast as before. Each MCP server starts once per process, on first use, and is closed
 * when the layer is released (shutdown); one that fails to start is tried again by the next run.
 */
export const layer = (options: ToolSourceOptions) =>
  Layer.scoped(
    ToolSources,
    Effect.gen(function* () {
      const modules = yield* UserModules
      const connections = new Map<string, Promise<McpConnection>>()
      yield* Effect.addFinalizer(() =>
        Effect.promise(() => Promise.allSettled([...connections.values()].map((c) => c.then((x) => x.close())))).pipe(Effect.ignore)
      )
      const shapes = Effect.promise(() => import("./ToolShapes.js"))

      const mcpTools = (server: string, config: McpServerConfig): Effect.Effect<ReadonlyArray<RunnableTool>, ToolSourceError> =>
        Effect.tryPromise({
          try: () => {
            let pending = connections.get(server)
            if (pending === undefined) {
              pending = import("./McpConnections.js").then((m) => m.connect(server, config))
              connections.set(server, pending)
              pending.catch(() => connections.delete(server))
            }
            return pending.then((c) => c.tools)
          },
          catch: (e) => new ToolSourceError({ message: messageOf(e) })
        })

      const locateModule = (reference: string, from: string) =>
        Effect.gen(function* () {
          // a module exists when UserModules knows it: a file, or one compiled into a cloud bundle
          const looked = candidates(reference, path.dirname(from), options.customTools)
          const known = yield* Effect.forEach(looked, (c) => modules.fingerprint(c))
          const file = looked[known.findIndex((h) => h !== undefined)]
          if (file === undefined)
            return yield* new ToolSourceError({
              message: `Tool_Source '${reference}' not found: looked for ${looked.map((f) => path.relative(process.cwd(), f) || f).join(", ")}${isPythonReference(reference) ? " (an upstream Python module: port it to TypeScript with defineTool, same base name)" : ""}; set paths.custom_tools to the folder of your tool modules`
            })
          const namespace = yield* modules
            .load(file)
            .pipe(Effect.mapError((e) => new ToolSourceError({ message: `tool module ${e.file}${e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ""}: ${e.message}`, file: e.file, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) })))
          const tools = (yield* shapes).toolsIn(namespace)
          if (tools.length === 0)
            return yield* new ToolSourceError({ file, message: `tool module ${file} exports no tools: export defineTool({ name, description, schema, run }) values or LangChain tools` })
          const relative = path.relative(path.dirname(from), file)
          const display = relative.startsWith("..") || path.isAbsolute(relative) ? file : relative
          const notice = isPythonReference(reference) ? `Tool_Source '${reference}' names a Python module; using ${display}, the TypeScript/JavaScript module of the same name` : undefined
          return { _tag: "Module", file, display, notice, tools } satisfies LocatedTools
        })

      return ToolSources.of({
        locate: (source, from) => {
          if (source._tag === "Module") return locateModule(source.path, from)
          const config = options.mcpServers[source.server]
          if (config === undefined) {
            const known = Object.keys(options.mcpServers)
            return Effect.fail(
              new ToolSourceError({ message: `Tool_Source 'mcp:${source.server}': no MCP server '${source.server}' in the config (mcp.servers${known.length > 0 ? ` has ${known.join(", ")}` : " is empty"})` })
            )
          }
          return Effect.succeed({ _tag: "Mcp", server: source.server, tools: mcpTools(source.server, config) } satisfies LocatedTools)
        }
      })
    })
  )
