import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Layer } from "effect"
import { parse as parseYaml } from "yaml"
import { PromptLibrary, PromptNotFound } from "../../ports/PromptLibrary.js"

export interface PromptOptions {
  /** Folder `file:` and `yaml:` paths are relative to (`prompts.directory`, default `prompts`). */
  readonly directory: string
  /** The registry `prompt:name` looks names up in (`prompts.registry_file`). */
  readonly registryFile: string
}

const readText = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, "utf8")
  } catch {
    return undefined
  }
}

const walk = (value: unknown, keys: ReadonlyArray<string>): unknown =>
  keys.reduce<unknown>((v, k) => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined), value)

export const make = (options: PromptOptions) => {
  const cache = new Map<string, string>()
  const missing = (reference: string, why: string) => new PromptNotFound({ reference, message: `prompt reference '${reference}': ${why}` })

  const yamlAt = (reference: string, file: string, keyPath: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const text = readText(file)
      if (text === undefined) return yield* Effect.fail(missing(reference, `file '${file}' not found`))
      const doc = yield* Effect.try({ try: () => parseYaml(text) as unknown, catch: (e) => missing(reference, `'${file}' is not valid YAML: ${String(e)}`) })
      const value = keyPath.length === 0 ? doc : walk(doc, keyPath)
      if (typeof value !== "string")
        return yield* Effect.fail(missing(reference, value === undefined ? `'${keyPath.join(".")}' is not in '${file}'` : `'${keyPath.join(".")}' in '${file}' is not text`))
      return value
    })

  const lookup = (reference: string): Effect.Effect<string, PromptNotFound> => {
    const trimmed = reference.trim()
    const colon = trimmed.indexOf(":")
    const kind = trimmed.slice(0, colon)
    const rest = trimmed.slice(colon + 1).trim()
    switch (kind) {
      case "prompt":
        return yamlAt(trimmed, options.registryFile, [rest]).pipe(
          Effect.catchAll(() => yamlAt(trimmed, options.registryFile, rest.split("."))),
          Effect.mapError(() => missing(trimmed, `no prompt named '${rest}' in the prompt registry ${options.registryFile}`))
        )
      case "file": {
        const text = readText(path.resolve(options.directory, rest))
        return text === undefined ? Effect.fail(missing(trimmed, `file '${path.resolve(options.directory, rest)}' not found`)) : Effect.succeed(text.trim())
      }
      case "yaml": {
        const hash = rest.indexOf("#")
        const file = path.resolve(options.directory, hash < 0 ? rest : rest.slice(0, hash))
        const keys = hash < 0 ? [] : rest.slice(hash + 1).split(".").filter((k) => k !== "")
        return yamlAt(trimmed, file, keys)
      }
      default:
        return Effect.succeed(reference)
    }
  }

  const resolve = (prompt: string) => {
    const cached = cache.get(prompt)
    if (cached !== undefined) return Effect.succeed(cached)
    return lookup(prompt).pipe(Effect.tap((text) => Effect.sync(() => cache.set(prompt, text))))
  }

  return PromptLibrary.of({ resolve })
}

export const layer = (options: PromptOptions) => Layer.succeed(PromptLibrary, make(options))
