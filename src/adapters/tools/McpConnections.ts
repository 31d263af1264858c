import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { Effect } from "effect"
import { isJsonObject, type JsonObject } from "../../domain/Json.js"
import { type RunnableTool, ToolCallError } from "../../ports/Tools.js"
import type { McpServerConfig } from "../config/McpConfig.js"
import { packageVersion } from "../version/PackageVersion.js"
import { argumentChecker } from "./ArgumentCheck.js"
import { asJson } from "./ToolResult.js"

/** A connected MCP server: its tools, and how to let it go. */
export interface McpConnection {
  readonly tools: ReadonlyArray<RunnableTool>
  readonly close: () => Promise<void>
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e))

const withTimeout = <A>(promise: Promise<A>, millis: number, what: string): Promise<A> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${millis / 1000} s`)), millis)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** A call's result as JSON: the structured content when the server gives it, else its text (several parts: a list). */
const resultOf = (result: Readonly<Record<string, unknown>>): unknown => {
  if (result["structuredContent"] !== undefined) return result["structuredContent"]
  const content = Array.isArray(result["content"]) ? (result["content"] as ReadonlyArray<Record<string, unknown>>) : []
  const parts = content.map((c) => (c["type"] === "text" && typeof c["text"] === "string" ? c["text"] : c))
  return parts.length === 1 ? parts[0] : parts
}

const errorText = (result: Readonly<Record<string, unknown>>) => {
  const r = resultOf(result)
  return typeof r === "string" ? r : JSON.stringify(r)
}

/**
 * Starts (stdio) or reaches (streamable HTTP) one MCP server and lists its tools, within the
 * server's timeout. A stdio server that dies or never answers is an error carrying the end of
 * what it wrote to stderr.
 */
export const connect = async (name: string, config: McpServerConfig): Promise<McpConnection> => {
  const client = new Client({ name: "agentmap", version: packageVersion() })
  let stderr = ""
  const transport =
    config._tag === "Stdio"
      ? new StdioClientTransport({ command: config.command, args: [...config.args], env: { ...getDefaultEnvironment(), ...config.env }, cwd: config.cwd, stderr: "pipe" })
      : new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: { ...config.headers } } })
  if (transport instanceof StdioClientTransport) transport.stderr?.on("data", (chunk: Buffer) => void (stderr = (stderr + chunk.toString("utf8")).slice(-2000)))
  const where = config._tag === "Stdio" ? `'${[config.command, ...config.args].join(" ")}'` : config.url
  const failed = (e: unknown) => {
    const said = stderr.trim() === "" ? "" : `; it wrote: ${stderr.trim().split("\n").slice(-5).join(" | ")}`
    return new Error(`MCP server '${name}' (${where}) did not start: ${messageOf(e)}${said}`)
  }
  let listed: Awaited<ReturnType<Client["listTools"]>>
  try {
    await withTimeout(client.connect(transport, { timeout: config.timeoutMillis }), config.timeoutMillis, "connecting")
    listed = await withTimeout(client.listTools(undefined, { timeout: config.timeoutMillis }), config.timeoutMillis, "listing its tools")
  } catch (e) {
    await client.close().catch(() => undefined)
    throw failed(e)
  }
  const tools = listed.tools.map((t): RunnableTool => {
    const schema = (isJsonObject(t.inputSchema) ? t.inputSchema : { type: "object" }) as JsonObject
    const check = argumentChecker(t.name, schema)
    return {
      name: t.name,
      description: t.description ?? "",
      parameters: schema,
      call: (args, signal) =>
        check(args).pipe(
          Effect.flatMap(() =>
            Effect.tryPromise({
              try: () => client.callTool({ name: t.name, arguments: { ...args } }, undefined, { signal, timeout: config.timeoutMillis }),
              catch: (e) => new ToolCallError({ tool: t.name, message: `tool '${t.name}' of MCP server '${name}' failed: ${messageOf(e)}` })
            })
          ),
          Effect.flatMap((result) =>
            result["isError"] === true
              ? Effect.fail(new ToolCallError({ tool: t.name, message: `tool '${t.name}' of MCP server '${name}' failed: ${errorText(result)}` }))
              : Effect.succeed(asJson(resultOf(result)))
          )
        )
    }
  })
  return { tools, close: () => client.close() }
}
