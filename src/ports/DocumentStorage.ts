import { Context, Data, type Effect } from "effect"
import type { Json, JsonObject } from "../domain/Json.js"

/** A storage problem, in words that name the file (relative to the storage folder) and never reach outside it. */
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly path: string
  readonly message: string
}> {}

export type WriteMode = "write" | "append"

export interface Written {
  /** The path as given, relative to the storage folder. */
  readonly path: string
  readonly mode: WriteMode
  /** True when the write made the file. */
  readonly created: boolean
}

/**
 * Files under the configured storage folder (`storage.base_directory`), by relative path: text,
 * CSV records and JSON. A path that could leave the folder is refused before anything is touched;
 * writes replace files atomically, so a crash never leaves half a file.
 */
export class DocumentStorage extends Context.Tag("agentmap/DocumentStorage")<
  DocumentStorage,
  {
    readonly readText: (path: string) => Effect.Effect<string, StorageError>
    readonly writeText: (path: string, text: string, mode: WriteMode) => Effect.Effect<Written & { readonly bytes: number }, StorageError>
    /** Records by the header row; cells as text. */
    readonly readCsv: (path: string) => Effect.Effect<ReadonlyArray<JsonObject>, StorageError>
    /** `append` adds rows (the header grows to hold new columns); `write` replaces the file. */
    readonly writeCsv: (path: string, rows: ReadonlyArray<JsonObject>, mode: WriteMode) => Effect.Effect<Written & { readonly rows: number }, StorageError>
    readonly readJson: (path: string) => Effect.Effect<Json, StorageError>
    /** `append` adds the value to the array the file holds (a missing file starts one); `write` replaces the file. */
    readonly writeJson: (path: string, value: Json, mode: WriteMode) => Effect.Effect<Written, StorageError>
  }
>() {}
