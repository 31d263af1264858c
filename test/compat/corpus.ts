import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { ROOT } from "../support/cli.js"

const BESIDE = path.resolve(ROOT, "../shared/compat/agentmap-examples")
const FROM_ENV = process.env["AGENTMAP_COMPAT_CORPUS"]

/**
 * The compatibility corpus: real CSVs from the Python original. It is the upstream project's
 * data and stays outside the repository: `AGENTMAP_COMPAT_CORPUS`, else `../shared/compat/agentmap-examples`.
 */
export const CORPUS = FROM_ENV !== undefined && FROM_ENV !== "" ? path.resolve(FROM_ENV) : BESIDE

const isFolder = (dir: string) => fs.existsSync(dir) && fs.statSync(dir).isDirectory()

// a corpus asked for by name that is not there is a failure, not a skip (CI sets the variable)
if (CORPUS !== BESIDE && !isFolder(CORPUS)) throw new Error(`AGENTMAP_COMPAT_CORPUS=${FROM_ENV} is not a folder: the compatibility corpus is not there`)

/** Whether the corpus is here; without it the corpus tests are skipped (see `missingCorpus`). */
export const CORPUS_FOUND = isFolder(CORPUS)

/** The one line that says why the corpus tests were skipped and how to run them. */
export const missingCorpus = `compatibility corpus not found (AGENTMAP_COMPAT_CORPUS is not set, and ${BESIDE} does not exist): its tests are skipped; set AGENTMAP_COMPAT_CORPUS=/path/to/agentmap-examples to run them`

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
  !CORPUS_FOUND
    ? []
    : fs
        .readdirSync(dir, { withFileTypes: true })
        .sort((a, b) => a.name.localeCompare(b.name))
        .flatMap((e) =>
          e.isDirectory() ? corpusFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : e.name.endsWith(".csv") ? [`${prefix}${e.name}`] : []
        )

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures")

/** Copies a fixture folder's `sub` (custom_agents, custom_tools) into the workspace's folder of that name. */
const copyFixtures = (dir: string, sub: string) => {
  for (const example of fs.readdirSync(FIXTURES, { withFileTypes: true })) {
    const from = path.join(FIXTURES, example.name, sub)
    if (example.isDirectory() && isFolder(from)) fs.cpSync(from, path.join(dir, sub), { recursive: true })
  }
}

let built: string | undefined

type Cli = (args: ReadonlyArray<string>, options: { cwd: string }) => { status: number | null; stdout: string; stderr: string }

export const corpusWorkspace = (cli: Cli): string => {
  const shared = process.env["AGENTMAP_CORPUS_WORKSPACE"]
  if (shared !== undefined && shared !== "") return shared
  if (built !== undefined) return built
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-corpus-"))
  copyFixtures(dir, "custom_agents")
  copyFixtures(dir, "custom_tools")
  fs.copyFileSync(path.join(FIXTURES, "host_integration", "host_services.ts"), path.join(dir, "host_services.ts"))
  fs.writeFileSync(
    path.join(dir, "agentmap.yaml"),
    "paths:\n  custom_agents: custom_agents\n  custom_tools: custom_tools\n  host_services: host_services.ts\n"
  )
  // scaffold what is still unknown once the examples' own code is in place
  const files = corpusFiles().map((f) => path.join(CORPUS, f))
  const report = JSON.parse(cli(["validate", ...files, "--json"], { cwd: dir }).stdout) as {
    files: ReadonlyArray<{ file: string; diagnostics: ReadonlyArray<{ code: string }> }>
  }
  for (const { file, diagnostics } of report.files) {
    if (!diagnostics.some((d) => d.code === "unknown-agent")) continue
    const r = cli(["scaffold", file], { cwd: dir })
    if (r.status !== 0) throw new Error(`agentmap scaffold ${file} exited ${r.status}:\n${r.stdout}${r.stderr}`)
  }
  built = dir
  return dir
}
