// What dist/ is built from: a hash over the sources, the build scripts, the manifests and the
// Node.js version (the code cache is V8's). scripts/build.mjs skips a build whose hash is unchanged.
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"

const INPUTS = ["src", "ui", "scripts/build.mjs", "scripts/build-inputs.mjs", "scripts/otel-split.mjs", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.types.json"]

const walk = (root, relative) => {
  const full = path.join(root, relative)
  if (!fs.existsSync(full)) return []
  if (!fs.statSync(full).isDirectory()) return [relative]
  return fs
    .readdirSync(full)
    .sort()
    .flatMap((name) => walk(root, path.join(relative, name)))
}

export const sourceHash = (root) => {
  const hash = createHash("sha256").update(`node ${process.version}\n`)
  for (const file of INPUTS.flatMap((input) => walk(root, input))) {
    hash.update(`${file}\n`).update(fs.readFileSync(path.join(root, file))).update("\n")
  }
  return hash.digest("hex")
}
