// A small MCP server for tests: `add` (text result), `city` (structured result), `broken` (an error
// result). Over stdio when run as a script (`node mcpCalcServer.mjs`); test/support/mcpServers.ts
// serves the same tools over streamable HTTP. With MCP_START_LOG set, each start appends its pid.
import * as fs from "node:fs"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import { z } from "zod"

export const calcServer = () => {
  const server = new McpServer({ name: "calc", version: "1.0.0" })
  server.registerTool("add", { description: "Add two numbers", inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
    content: [{ type: "text", text: String(a + b) }]
  }))
  server.registerTool(
    "city",
    { description: "Facts about a city", inputSchema: { name: z.string() }, outputSchema: { name: z.string(), population: z.number() } },
    async ({ name }) => {
      const facts = { name, population: 2100000 }
      return { content: [{ type: "text", text: JSON.stringify(facts) }], structuredContent: facts }
    }
  )
  server.registerTool("broken", { description: "Always fails", inputSchema: {} }, async () => ({ isError: true, content: [{ type: "text", text: "the backend is down" }] }))
  return server
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  if (process.env.MCP_START_LOG) fs.appendFileSync(process.env.MCP_START_LOG, `${process.pid}\n`)
  await calcServer().connect(new StdioServerTransport())
}
