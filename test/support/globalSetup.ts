import { CORPUS_FOUND, corpusWorkspace, missingCorpus } from "../compat/corpus.js"
import { agentmap } from "./cli.js"

/**
 * Once per `vitest run`: says why the corpus tests are skipped when the corpus is not here, and
 * otherwise builds the corpus's project folder (the examples' code plus scaffolded stubs) once for
 * every worker.
 */
export default function setup() {
  if (!CORPUS_FOUND) process.stderr.write(`\n  ↓ ${missingCorpus}\n\n`)
  else process.env["AGENTMAP_CORPUS_WORKSPACE"] = corpusWorkspace(agentmap)
}
