import { parseArgs } from "node:util"
import { closest } from "../../domain/Suggest.js"
import { type AnyCommand, type CommandSpec, flagName, type GroupSpec, type Invocation, type OptionSpec, type Options, choice, flag, text } from "./Spec.js"

/** Options every command takes, before or after its name. */
export const GLOBAL_OPTIONS = {
  config: text({
    short: "c",
    placeholder: "FILE",
    description: "the configuration file",
    default: "$AGENTMAP_CONFIG_FILE, else ./agentmap_config.yaml, else ~/.agentmap/agentmap_config.yaml, else built-in defaults"
  }),
  logLevel: choice(["trace", "debug", "info", "warning", "error", "none"], {
    placeholder: "LEVEL",
    description: "how much to log (commands log to stderr, serve to stdout; logging.format and logging.file say how and where): trace, debug, info, warning, error or none",
    default: "logging.level of the configuration, warning"
  }),
  help: flag({ short: "h", description: "show help for the command and exit" })
} satisfies Options

/** What a command line asks for. */
export type Parsed =
  | { readonly _tag: "Run"; readonly command: CommandSpec; readonly path: ReadonlyArray<string>; readonly invocation: Invocation<Options> }
  | { readonly _tag: "Help"; readonly target: AnyCommand; readonly path: ReadonlyArray<string> }
  | { readonly _tag: "Version" }
  | { readonly _tag: "UsageError"; readonly message: string; readonly target: AnyCommand; readonly path: ReadonlyArray<string>; readonly showHelp: boolean }

const takesValue = (o: OptionSpec<unknown>) => o.kind !== "flag"

const byFlag = (options: Options) => {
  const map = new Map<string, { key: string; spec: OptionSpec<unknown> }>()
  for (const [key, spec] of Object.entries(options)) {
    map.set(flagName(key), { key, spec })
    if (spec.short !== undefined) map.set(`-${spec.short}`, { key, spec })
  }
  return map
}

const GLOBALS = byFlag(GLOBAL_OPTIONS)

/**
 * Finds the command among the words of the line (global options may come first), then reads its
 * options and arguments with node's parseArgs. Every problem is a usage error that says what to change.
 */
export const parse = (argv: ReadonlyArray<string>, root: GroupSpec, retired: Readonly<Record<string, string>>): Parsed => {
  let target: AnyCommand = root
  const path: Array<string> = []
  const rest: Array<string> = []
  let helpWords = false
  let i = 0
  for (; i < argv.length; i++) {
    const word = argv[i]!
    if (word === "--") break
    if (word.startsWith("-")) {
      rest.push(word)
      const global = GLOBALS.get(word)
      if (global !== undefined && takesValue(global.spec) && i + 1 < argv.length) rest.push(argv[++i]!)
      continue
    }
    if (target._tag === "Command") break
    if (target === root && word === "help" && !helpWords) {
      helpWords = true
      continue
    }
    const next: AnyCommand | undefined = target.commands.find((c) => c.name === word)
    if (next === undefined) {
      if (helpWords) return usage(`no command '${[...path, word].join(" ")}' to show help for`, target, path, true)
      const replacement = target === root ? retired[word] : undefined
      if (replacement !== undefined) return usage(replacement, target, path, false)
      const names = target.commands.map((c) => c.name)
      const near = closest(word, names)
      return usage(
        `unknown command '${[...path, word].join(" ")}'${near !== undefined ? ` (did you mean '${[...path, near].join(" ")}'?)` : ""}; the commands are ${names.join(", ")}`,
        target,
        path,
        false
      )
    }
    target = next
    path.push(word)
  }
  rest.push(...argv.slice(i))

  if (helpWords || rest.some((w) => w === "--help" || w === "-h")) return { _tag: "Help", target, path }
  if (target === root && (rest.includes("--version") || rest.includes("-v"))) return { _tag: "Version" }
  if (target._tag === "Group")
    return usage(
      target === root ? "missing command" : `'agentmap ${path.join(" ")}' needs a command: ${target.commands.map((c) => c.name).join(", ")}`,
      target,
      path,
      true
    )
  return readCommand(target, path, rest)
}

const usage = (message: string, target: AnyCommand, path: ReadonlyArray<string>, showHelp: boolean): Parsed => ({ _tag: "UsageError", message, target, path, showHelp })

const readCommand = (command: CommandSpec, path: ReadonlyArray<string>, words: ReadonlyArray<string>): Parsed => {
  const all: Options = { ...GLOBAL_OPTIONS, ...command.options }
  const known = byFlag(all)
  const fail = (message: string) => usage(message, command, path, false)
  const { tokens } = parseArgs({
    args: [...words],
    options: Object.fromEntries(
      Object.entries(all).map(([key, spec]) => [
        flagName(key).slice(2),
        { type: takesValue(spec) ? ("string" as const) : ("boolean" as const), ...(spec.short !== undefined ? { short: spec.short } : {}) }
      ])
    ),
    strict: false,
    allowPositionals: true,
    tokens: true
  })
  const raw = new Map<string, string | true>()
  const positionals: Array<string> = []
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value)
    if (token.kind !== "option") continue
    const found = known.get(token.rawName)
    const where = `'agentmap ${path.join(" ")}'`
    if (found === undefined) {
      const near = closest(`--${token.name}`, [...known.keys()].filter((k) => k.startsWith("--") && known.get(k)?.spec.hidden !== true))
      return fail(`unknown option '${token.rawName}' for ${where}${near !== undefined ? ` (did you mean '${near}'?)` : ""}`)
    }
    const name = flagName(found.key)
    if (raw.has(found.key)) return fail(`${name} is given twice`)
    if (takesValue(found.spec)) {
      if (token.value === undefined)
        return fail(`${name} needs a value${found.spec.example !== undefined ? `, e.g. ${found.spec.example}` : ` (${found.spec.placeholder ?? "TEXT"})`}`)
      raw.set(found.key, token.value)
    } else {
      if (token.value !== undefined) return fail(`${name} takes no value (got '${token.value}')`)
      raw.set(found.key, true)
    }
  }
  const values: Record<string, unknown> = {}
  for (const [key, spec] of Object.entries(all)) {
    const decoded = spec.decode(raw.get(key), flagName(key))
    if (!decoded.ok) return fail(decoded.message)
    values[key] = decoded.value
  }
  const variadic = command.args.some((a) => a.variadic === true)
  if (!variadic && positionals.length > command.args.length) {
    const extra = positionals[command.args.length]!
    return fail(
      extra.startsWith("-")
        ? `unknown option '${extra}' for 'agentmap ${path.join(" ")}'`
        : `unexpected argument '${extra}': 'agentmap ${path.join(" ")}' takes ${command.args.length === 0 ? "no arguments" : command.args.map((a) => a.name).join(" ")}`
    )
  }
  const missing = command.args.find((a, index) => a.optional !== true && a.variadic !== true && index >= positionals.length)
  if (missing !== undefined) return fail(`missing ${missing.name}: ${missing.description}`)
  return {
    _tag: "Run",
    command,
    path,
    invocation: {
      options: values,
      args: positionals,
      globals: { config: values["config"] as string | undefined, logLevel: values["logLevel"] as string | undefined }
    }
  }
}
