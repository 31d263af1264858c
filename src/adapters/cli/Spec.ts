import type { Effect } from "effect"

/**
 * The command line as data: every command, option and argument with the words its help shows.
 * Parsing (Parse.ts) and help (Help.ts) both read these, so help cannot drift from what is accepted.
 */
export interface OptionSpec<A> {
  readonly kind: "text" | "flag" | "integer" | "choice"
  readonly short?: string
  /** The placeholder in help: `--state JSON`. */
  readonly placeholder?: string
  readonly description: string
  /** What happens without the option, as help says it. */
  readonly default?: string
  readonly example?: string
  readonly choices?: ReadonlyArray<string>
  /** Accepted, not listed in help (another spelling of a listed option). */
  readonly hidden?: boolean
  /** The value the command sees: from the text given (or true for a flag), or an error message. */
  readonly decode: (raw: string | true | undefined, flag: string) => { readonly ok: true; readonly value: A } | { readonly ok: false; readonly message: string }
}

type Help = Omit<OptionSpec<unknown>, "kind" | "decode" | "choices">

const ok = <A>(value: A) => ({ ok: true as const, value })

export const text = (help: Help): OptionSpec<string | undefined> => ({
  kind: "text",
  placeholder: "TEXT",
  ...help,
  decode: (raw) => ok(raw === true ? undefined : raw)
})

export const flag = (help: Omit<Help, "placeholder">): OptionSpec<boolean> => ({ kind: "flag", ...help, decode: (raw) => ok(raw !== undefined) })

export const integer = (help: Help & { readonly min?: number }): OptionSpec<number | undefined> => ({
  kind: "integer",
  placeholder: "N",
  ...help,
  decode: (raw, name) => {
    if (raw === undefined || raw === true) return ok(undefined)
    const n = Number(raw)
    const min = help.min ?? Number.MIN_SAFE_INTEGER
    return /^-?\d+$/.test(raw.trim()) && n >= min
      ? ok(n)
      : { ok: false, message: `${name} must be a whole number${help.min !== undefined ? ` of at least ${help.min}` : ""}, got '${raw}'` }
  }
})

export const choice = <C extends string>(choices: ReadonlyArray<C>, help: Help): OptionSpec<C | undefined> => ({
  kind: "choice",
  placeholder: choices.join("|"),
  ...help,
  choices,
  decode: (raw, name) =>
    raw === undefined || raw === true
      ? ok(undefined)
      : choices.includes(raw as C)
      ? ok(raw as C)
      : { ok: false, message: `${name} must be one of ${choices.join(", ")}, got '${raw}'` }
})

export interface ArgSpec {
  /** As help shows it: WORKFLOW, THREAD. */
  readonly name: string
  readonly description: string
  readonly optional?: boolean
  /** Takes every remaining argument. */
  readonly variadic?: boolean
}

export type Options = Readonly<Record<string, OptionSpec<unknown>>>
export type Values<O extends Options> = { readonly [K in keyof O]: O[K] extends OptionSpec<infer A> ? A : never }

/** What every command accepts, anywhere on the line. */
export interface Globals {
  readonly config: string | undefined
  readonly logLevel: string | undefined
}

export interface Invocation<O extends Options> {
  readonly options: Values<O>
  readonly args: ReadonlyArray<string>
  readonly globals: Globals
}

export interface CommandSpec<O extends Options = Options> {
  readonly _tag: "Command"
  readonly name: string
  readonly summary: string
  /** Paragraphs after the usage line. */
  readonly details?: ReadonlyArray<string>
  readonly args: ReadonlyArray<ArgSpec>
  readonly options: O
  readonly examples?: ReadonlyArray<string>
  readonly exitCodes?: string
  /** Runs the command; sets process.exitCode. (A method: a command of any options is an AnyCommand.) */
  run(invocation: Invocation<O>): Effect.Effect<void>
}

export interface GroupSpec {
  readonly _tag: "Group"
  readonly name: string
  readonly summary: string
  readonly commands: ReadonlyArray<AnyCommand>
  readonly examples?: ReadonlyArray<string>
}

export type AnyCommand = CommandSpec | GroupSpec

export const command = <O extends Options>(spec: Omit<CommandSpec<O>, "_tag">): CommandSpec<O> => ({ _tag: "Command", ...spec })

export const group = (spec: Omit<GroupSpec, "_tag">): GroupSpec => ({ _tag: "Group", ...spec })

/** `threadId` is `--thread-id` on the line. */
export const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
