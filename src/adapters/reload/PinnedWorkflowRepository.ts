import { createHash } from "node:crypto"
import { Effect, FiberRef } from "effect"
import { WorkflowRepository } from "../../ports/WorkflowRepository.js"

/** Inside `Effect.locally(readDisk, true)` the repository reads the files as they are on disk (to check an edit). */
export const readDisk = FiberRef.unsafeMake(false)

/**
 * `serve --reload`: a CSV whose last edit does not validate stays "pinned" to its last valid
 * text, so runs keep using the previous version until the file is fixed.
 */
export const make = (base: WorkflowRepository["Type"]) => {
  const pinned = new Map<string, { readonly text: string; readonly token: string }>()
  // plans hold the functions and modules they were prepared with, and are reused while their
  // files' versions stay the same: a code change moves every version on
  let epoch = 0

  const pinnedFor = (file: string) => Effect.map(FiberRef.get(readDisk), (disk) => (disk ? undefined : pinned.get(file)))

  const service = WorkflowRepository.of({
    ...base,
    load: (location) =>
      Effect.flatMap(pinnedFor(location.path), (pin) => (pin === undefined ? base.load(location) : Effect.succeed(base.parse(location, pin.text)))),
    version: (file) =>
      Effect.flatMap(pinnedFor(file), (pin) => Effect.map(pin === undefined ? base.version(file) : Effect.succeed(pin.token), (v) => `${v}#${epoch}`))
  })

  return {
    service,
    /** Serve `text` for `file` instead of what is on disk. */
    pin: (file: string, text: string) => pinned.set(file, { text, token: `pinned:${createHash("sha256").update(text).digest("hex")}` }),
    unpin: (file: string) => pinned.delete(file),
    isPinned: (file: string) => pinned.has(file),
    /** A function or module changed: plans prepared before are prepared again. */
    codeChanged: () => void epoch++
  }
}
