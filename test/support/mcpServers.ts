import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js"
// @ts-expect-error a plain ESM script shared with the stdio server
import { calcServer } from "./mcpCalcServer.mjs"

/** The stdio server script (run it with `node`). */
export const STDIO_SERVER = path.join(import.meta.dirname, "mcpCalcServer.mjs")

/** The calc tools over streamable HTTP (stateless: a server per request), at `url`. `requests` counts POSTs; `headers` keeps the last ones. */
export const startHttpMcp = async (): Promise<{ url: string; requests: { count: number; headers: Record<string, unknown> }; close: () => Promise<void> }> => {
  const requests = { count: 0, headers: {} as Record<string, unknown> }
  const server: Server = createServer(async (req, res) => {
    requests.count++
    requests.headers = { ...req.headers }
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true } as ConstructorParameters<typeof StreamableHTTPServerTransport>[0])
    const mcp = calcServer()
    res.on("close", () => {
      void transport.close()
      void mcp.close()
    })
    await mcp.connect(transport)
    await transport.handleRequest(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  }
}
