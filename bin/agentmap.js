#!/usr/bin/env node
// The `agentmap` command: runs the bundle that `npm install` builds into dist/.
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"

const bundle = new URL("../dist/cli.mjs", import.meta.url)
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write("agentmap: dist/cli.mjs is missing; run `npm install` (or `npm run build`) in the agentmap checkout\n")
  process.exit(2)
}
await import(bundle.href)
