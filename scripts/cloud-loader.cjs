// Entry of a cloud bundle (index.js): loads agentmap.js through the V8 code cache written at build
// time (agentmap.js.cache), so a cold container compiles little. Exports what the bundle exports.
"use strict"
const fs = require("node:fs")
const path = require("node:path")
const vm = require("node:vm")
const Module = require("node:module")

const file = path.join(__dirname, "agentmap.js")
const cacheFile = `${file}.cache`
let cachedData
try {
  cachedData = fs.readFileSync(cacheFile)
} catch {
  cachedData = undefined
}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), { filename: file, cachedData })
if (process.env.AGENTMAP_WRITE_CODE_CACHE === "1")
  // the build's warm-up run: written at exit, so what the invocations compiled is in it
  process.once("exit", () => fs.writeFileSync(cacheFile, script.createCachedData()))
script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, __dirname)
