import { Effect } from "effect"
import { isJsonObject, type Json, type JsonObject } from "../../domain/Json.js"
import { stringIn } from "../../domain/Llm.js"
import { fill } from "../../domain/Template.js"
import { type DocumentStorage, StorageError, type WriteMode } from "../../ports/DocumentStorage.js"
import { AgentFailure, type Agent, type AgentCall, done } from "./Agent.js"

const PATH_KEYS = ["path", "file_path", "collection", "filename"] as const

/** The file a node works on: Context `path` (or file_path, collection, filename), else the Prompt, else an input of one of those names. */
const pathOf = (call: AgentCall): string | undefined => {
  const fromContext = stringIn(call.node.context, ...PATH_KEYS)
  if (fromContext !== undefined) return fromContext
  const prompt = fill(call.prompt, call.inputs).trim()
  if (prompt !== "") return prompt
  const input = call.node.inputs.find((b) => (PATH_KEYS as ReadonlyArray<string>).includes(b.param) && typeof call.inputs[b.param] === "string")
  return input === undefined ? undefined : (call.inputs[input.param] as string)
}

/** What a writer writes: one input is its value; several are an object of them (path inputs left out). */
const dataOf = (call: AgentCall): { readonly value: Json; readonly single: string | undefined } | undefined => {
  const bindings = call.node.inputs.filter((b) => !(PATH_KEYS as ReadonlyArray<string>).includes(b.param) && call.inputs[b.param] !== undefined)
  if (bindings.length === 0) return undefined
  if (bindings.length === 1) return { value: call.inputs[bindings[0]!.param] as Json, single: bindings[0]!.param }
  return { value: Object.fromEntries(bindings.map((b) => [b.param, call.inputs[b.param] as Json])), single: undefined }
}

const modeOf = (call: AgentCall): WriteMode | AgentFailure => {
  const mode = (stringIn(call.node.context, "mode") ?? "write").toLowerCase()
  if (mode === "write" || mode === "w" || mode === "overwrite") return "write"
  if (mode === "append" || mode === "a") return "append"
  return new AgentFailure({ type: "StorageError", message: `node '${call.node.name}': mode '${mode}' is not write or append` })
}

/** Runs a storage step with the node's path; a missing path, a bad mode or a storage problem fails the node (Failure_Next). */
const withPath = (call: AgentCall, work: (path: string, mode: WriteMode) => Effect.Effect<unknown, StorageError | AgentFailure>) => {
  const path = pathOf(call)
  if (path === undefined)
    return Effect.fail(new AgentFailure({ type: "StorageError", message: `node '${call.node.name}' names no file: set Context path or the Prompt` }))
  const mode = modeOf(call)
  if (mode instanceof AgentFailure) return Effect.fail(mode)
  return work(path, mode).pipe(
    Effect.map((value) => done(value)),
    Effect.mapError((e) => (e instanceof StorageError ? new AgentFailure({ type: "StorageError", message: `node '${call.node.name}': ${e.message}` }) : e))
  )
}

const nothingToWrite = (call: AgentCall) => new AgentFailure({ type: "StorageError", message: `node '${call.node.name}' has nothing to write: its inputs are empty` })

/** Rows for a CSV: a list of objects as they are, one object as one row, anything else as one row of the inputs. */
const rowsOf = (data: { readonly value: Json; readonly single: string | undefined }): ReadonlyArray<JsonObject> | undefined => {
  const { value, single } = data
  if (Array.isArray(value)) return value.every(isJsonObject) ? (value as ReadonlyArray<JsonObject>) : undefined
  if (isJsonObject(value)) return [value]
  return [{ [single ?? "value"]: value }]
}

/** csv_reader, csv_writer, json_reader, json_writer, file_reader, file_writer over the storage folder. */
export const storageAgents = (storage: DocumentStorage["Type"]) => {
  const writer =
    (write: (path: string, mode: WriteMode, data: { readonly value: Json; readonly single: string | undefined }, call: AgentCall) => Effect.Effect<unknown, StorageError | AgentFailure>): Agent =>
    (call) =>
      withPath(call, (path, mode) => {
        const data = dataOf(call)
        return data === undefined ? Effect.fail(nothingToWrite(call)) : write(path, mode, data, call)
      })
  return {
    file_reader: ((call) => withPath(call, (path) => storage.readText(path))) satisfies Agent,
    json_reader: ((call) => withPath(call, (path) => storage.readJson(path))) satisfies Agent,
    csv_reader: ((call) => withPath(call, (path) => storage.readCsv(path))) satisfies Agent,
    file_writer: writer((path, mode, { value }) =>
      Effect.map(storage.writeText(path, typeof value === "string" ? value : `${JSON.stringify(value, null, 2)}\n`, mode), (w) => ({ success: true, ...w }))
    ),
    json_writer: writer((path, mode, { value }) => Effect.map(storage.writeJson(path, value, mode), (w) => ({ success: true, ...w }))),
    csv_writer: writer((path, mode, data, call) => {
      const rows = rowsOf(data)
      if (rows === undefined) return Effect.fail(new AgentFailure({ type: "StorageError", message: `node '${call.node.name}': a list to write as CSV must hold objects (one per row)` }))
      return Effect.map(storage.writeCsv(path, rows, mode), ({ rows: written, ...w }) => ({ success: true, ...w, rows_written: written }))
    })
  }
}
