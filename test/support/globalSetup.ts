import { CORPUS_FOUND, missingCorpus } from "../compat/corpus.js"

/** Once per `vitest run`: says why the corpus tests are skipped when the corpus is not here. */
export default function setup() {
  if (!CORPUS_FOUND) process.stderr.write(`\n  ↓ ${missingCorpus}\n\n`)
}
