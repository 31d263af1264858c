import * as path from "node:path"
import { type Diagnostic, error } from "../../domain/Diagnostic.js"
import { isJsonObject } from "../../domain/Json.js"

/** One MCP server of `mcp.servers`: a command started over stdio, or a streamable HTTP endpoint. */
export type McpServerConfig =
  | {
      readonly _tag: "Stdio"
      readonly command: string
      readonly args: ReadonlyArray<string>
      readonly env: Readonly<Record<string, string>>
      /** The working directory (`cwd`, default: the config file's folder), absolute. */
      readonly cwd: string
      readonly timeoutMillis: number
    }
  | { readonly _tag: "Http"; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly timeoutMillis: number }

export interface McpConfig {
  readonly servers: Readonly<Record<string, McpServerConfig>>
}

const strings = (v: unknown): Readonly<Record<string, string>> =>
  isJsonObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === "string" ? x : JSON.stringify(x)])) : {}

/**
 * `mcp: { servers: { name: { command, args, env, cwd } | { url, headers } } }`, each with an optional
 * `timeout_seconds` (default 30) bounding its start and each call. A server with both or neither
 * of `command` and `url` is an error naming `mcp.servers.<name>`.
 */
export const decodeMcp = (raw: unknown, base: string, file: string, diagnostics: Array<Diagnostic>): McpConfig => {
  const at = { file, line: 1, column: 1 }
  const servers: Record<string, McpServerConfig> = {}
  const section = isJsonObject(raw) ? raw["servers"] : undefined
  if (section !== undefined && !isJsonObject(section)) diagnostics.push(error(at, "config-value", "mcp.servers must be a mapping of server names to { command, args, env } or { url, headers }"))
  for (const [name, value] of Object.entries(isJsonObject(section) ? section : {})) {
    if (!isJsonObject(value)) {
      diagnostics.push(error(at, "config-value", `mcp.servers.${name} must be a mapping: { command, args, env } or { url, headers }`))
      continue
    }
    const command = typeof value["command"] === "string" && value["command"] !== "" ? value["command"] : undefined
    const url = typeof value["url"] === "string" && value["url"] !== "" ? value["url"] : undefined
    const seconds = typeof value["timeout_seconds"] === "number" && value["timeout_seconds"] > 0 ? value["timeout_seconds"] : 30
    if ((command === undefined) === (url === undefined)) {
      diagnostics.push(error(at, "config-value", `mcp.servers.${name} needs exactly one of command (a server started over stdio) or url (streamable HTTP)`))
      continue
    }
    if (value["args"] !== undefined && !Array.isArray(value["args"])) diagnostics.push(error(at, "config-value", `mcp.servers.${name}.args must be a list of strings`))
    if (url !== undefined && !/^https?:\/\//i.test(url)) diagnostics.push(error(at, "config-value", `mcp.servers.${name}.url must be an http(s) URL, not '${url}'`))
    servers[name] =
      command !== undefined
        ? {
            _tag: "Stdio",
            command,
            args: Array.isArray(value["args"]) ? value["args"].map(String) : [],
            env: strings(value["env"]),
            cwd: path.resolve(base, typeof value["cwd"] === "string" ? value["cwd"] : "."),
            timeoutMillis: seconds * 1000
          }
        : { _tag: "Http", url: url!, headers: strings(value["headers"]), timeoutMillis: seconds * 1000 }
  }
  return { servers }
}
