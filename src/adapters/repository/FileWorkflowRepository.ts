import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Layer } from "effect"
import { InvalidRequest, WorkflowNotFound } from "../../domain/Errors.js"
import { didYouMean } from "../../domain/Suggest.js"
import { type WorkflowLocation, WorkflowRepository, type WorkflowSummary } from "../../ports/WorkflowRepository.js"
import { parseWorkflowCsv } from "../csv/CsvParser.js"
import { isInside, unsafeNameReason } from "./SafePath.js"

export interface RepositoryOptions {
  /** The workflow repository folder (`paths.csv_repository`), absolute. */
  readonly root: string
  /** The working directory CSV paths are relative to. */
  readonly cwd: string
}

const isFile = (p: string) => {
  try {
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}

const displayPath = (cwd: string, absolute: string) => {
  const relative = path.relative(cwd, absolute)
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : absolute
}

const splitGraph = (address: string): { workflow: string; graph: string | undefined } => {
  const sep = address.lastIndexOf("::")
  if (sep < 0) return { workflow: address.trim(), graph: undefined }
  const graph = address.slice(sep + 2).trim()
  return { workflow: address.slice(0, sep).trim(), graph: graph === "" ? undefined : graph }
}

const walk = (dir: string, prefix = ""): Array<string> => {
  let entries: Array<fs.Dirent>
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  return entries
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) =>
      e.isDirectory() && !e.name.startsWith(".")
        ? walk(path.join(dir, e.name), `${prefix}${e.name}/`)
        : e.isFile() && e.name.toLowerCase().endsWith(".csv")
          ? [`${prefix}${e.name.slice(0, -4)}`]
          : []
    )
}

export const make = (options: RepositoryOptions) => {
  const root = path.resolve(options.cwd, options.root)

  const realRoot = () => {
    try {
      return fs.realpathSync(root)
    } catch {
      return root
    }
  }

  /** A repository entry by name: `name` → name.csv; `dir/name/Graph` → dir/name.csv, graph Graph. */
  const fromRepository = (name: string, graph: string | undefined): Effect.Effect<WorkflowLocation, WorkflowNotFound | InvalidRequest> => {
    const reason = unsafeNameReason(name)
    if (reason !== undefined) return Effect.fail(new InvalidRequest({ message: `invalid workflow name '${name}': ${reason}` }))
    const candidates: Array<{ file: string; graph: string | undefined }> = [{ file: `${name}.csv`, graph }]
    if (graph === undefined && name.includes("/"))
      candidates.push({ file: `${name.slice(0, name.lastIndexOf("/"))}.csv`, graph: name.slice(name.lastIndexOf("/") + 1) })
    for (const candidate of candidates) {
      const absolute = path.join(root, candidate.file)
      if (!isFile(absolute)) continue
      if (!isInside(realRoot(), fs.realpathSync(absolute)))
        return Effect.fail(new InvalidRequest({ message: `workflow '${name}' resolves outside the workflow repository` }))
      return Effect.succeed({ path: absolute, display: displayPath(options.cwd, absolute), graph: candidate.graph })
    }
    const known = walk(root)
    return Effect.fail(
      new WorkflowNotFound({
        workflow: name,
        message: `workflow '${name}' not found in the workflow repository ${displayPath(options.cwd, root)}${didYouMean(name, known)}${
          known.length > 0
            ? ` (it has: ${known.slice(0, 20).join(", ")}${known.length > 20 ? ", ..." : ""})`
            : ` (${root} ${fs.existsSync(root) ? "holds no .csv files" : "does not exist"}; paths.csv_repository sets where it is)`
        }; to run a file, give its path ending in .csv`
      })
    )
  }

  const fromFile = (file: string, base: string, graph: string | undefined, display: string) => {
    const absolute = path.resolve(base, file)
    return isFile(absolute)
      ? Effect.succeed<WorkflowLocation>({ path: absolute, display, graph })
      : Effect.fail(new WorkflowNotFound({ workflow: file, message: `workflow file '${display}' not found` }))
  }

  const resolve = (address: string) => {
    const { workflow, graph } = splitGraph(address)
    if (workflow.toLowerCase().endsWith(".csv")) return fromFile(workflow, options.cwd, graph, workflow)
    return fromRepository(workflow, graph)
  }

  const resolveFrom = (referencingFile: string, workflow: string) => {
    const { workflow: name, graph } = splitGraph(workflow)
    if (!name.toLowerCase().endsWith(".csv")) return fromRepository(name, graph)
    const beside = path.resolve(path.dirname(referencingFile), name)
    if (isFile(beside)) return Effect.succeed<WorkflowLocation>({ path: beside, display: displayPath(options.cwd, beside), graph })
    return fromRepository(name.slice(0, -4), graph).pipe(
      Effect.catchAll(() =>
        Effect.fail(
          new WorkflowNotFound({
            workflow: name,
            message: `'${name}' is neither next to '${displayPath(options.cwd, referencingFile)}' nor in the workflow repository`
          })
        )
      )
    )
  }

  const load = (location: WorkflowLocation) =>
    Effect.try({
      try: () => fs.readFileSync(location.path, "utf8"),
      catch: () => new WorkflowNotFound({ workflow: location.display, message: `workflow file '${location.display}' cannot be read` })
    }).pipe(Effect.map((text) => parseWorkflowCsv(location.display, text)))

  const list = Effect.sync((): ReadonlyArray<WorkflowSummary> =>
    walk(root).map((name) => {
      const absolute = path.join(root, `${name}.csv`)
      return { name, location: { path: absolute, display: displayPath(options.cwd, absolute), graph: undefined } }
    })
  )

  const parse = (location: WorkflowLocation, text: string) => parseWorkflowCsv(location.display, text)

  const version = (file: string) =>
    Effect.sync(() => {
      try {
        const s = fs.statSync(file)
        return `${s.size}:${s.mtimeMs}`
      } catch {
        return "missing"
      }
    })

  return WorkflowRepository.of({ resolve, resolveFrom, load, parse, version, list })
}

export const layer = (options: RepositoryOptions) => Layer.succeed(WorkflowRepository, make(options))
