#!/usr/bin/env node
// The `agentmap` command. Loads the bundle that `npm install` builds into dist/ through a V8 code
// cache (dist/cli.cjs.cache): compiling 2 MB of JavaScript from source costs more than the run.
"use strict"
const fs = require("node:fs")
const path = require("node:path")
const vm = require("node:vm")
const Module = require("node:module")

const file = path.join(__dirname, "..", "dist", "cli.cjs")
const cacheFile = `${file}.cache`

let source
try {
  source = fs.readFileSync(file, "utf8")
} catch {
  process.stderr.write("agentmap: dist/cli.cjs is missing; run `npm install` (or `npm run build`) in the agentmap checkout\n")
  process.exit(2)
}

let cachedData
try {
  cachedData = fs.readFileSync(cacheFile)
} catch {
  cachedData = undefined
}

const script = new vm.Script(Module.wrap(source), { filename: file, cachedData })
// code compiled by vm.Script has no loader for import(); user modules (routing functions) need one
globalThis.__agentmapImport = (specifier) => import(specifier)

if (cachedData === undefined || script.cachedDataRejected === true) {
  // written after the command ran, so the functions it compiled are cached too
  process.once("exit", () => {
    try {
      const temp = `${cacheFile}.${process.pid}`
      fs.writeFileSync(temp, script.createCachedData())
      fs.renameSync(temp, cacheFile)
    } catch {
      // a read-only install just runs without the cache
    }
  })
}

const module_ = { exports: {} }
script.runInThisContext().call(module_.exports, module_.exports, Module.createRequire(file), module_, file, path.dirname(file))
