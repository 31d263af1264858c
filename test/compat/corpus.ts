import * as fs from "node:fs"
import * as path from "node:path"
import { ROOT } from "../support/cli.js"

/** The compatibility corpus: real CSVs from the Python original, beside the project. */
export const CORPUS = path.resolve(ROOT, "../shared/compat/agentmap-examples")

export interface RunExpectation {
  readonly graph?: string
  readonly state: Record<string, unknown>
  readonly exit: number
  readonly status?: string
  readonly nodes?: ReadonlyArray<string>
  /** The provider/model each LLM node used. */
  readonly models?: Readonly<Record<string, string>>
  readonly interrupt?: { readonly node: string; readonly type: string }
  readonly outputs?: Record<string, unknown>
  readonly error?: string
  readonly codes?: ReadonlyArray<string>
}

export interface CorpusEntry {
  readonly validate: { readonly exit: number; readonly graphs: ReadonlyArray<string>; readonly errors: ReadonlyArray<string> }
  readonly runs: ReadonlyArray<RunExpectation>
}

/** The committed, reviewed table of what each corpus file does (regenerate with `node --import tsx scripts/corpus-table.mjs`; LLM nodes answer from the fake providers). */
export const TABLE = JSON.parse(fs.readFileSync(path.join(ROOT, "test/compat/corpus.json"), "utf8")) as Record<string, CorpusEntry>

export const corpusFiles = (dir = CORPUS, prefix = ""): Array<string> =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) =>
      e.isDirectory() ? corpusFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : e.name.endsWith(".csv") ? [`${prefix}${e.name}`] : []
    )
