import { GLOBAL_OPTIONS } from "./Parse.js"
import { terminalWidth, wrap } from "./TextWrap.js"
import { type AnyCommand, type CommandSpec, flagName, type GroupSpec, type Options } from "./Spec.js"



/** Two columns: a term, and its text wrapped beside it. */
const definitions = (rows: ReadonlyArray<readonly [string, string]>, width: number): string => {
  const termWidth = Math.min(Math.max(...rows.map(([term]) => term.length)) + 2, 30)
  return rows
    .flatMap(([term, body]) => {
      const lines = wrap(body, Math.max(30, width - termWidth - 2))
      const first = term.length + 2 > termWidth ? [`  ${term}`, `  ${" ".repeat(termWidth)}${lines[0] ?? ""}`] : [`  ${term.padEnd(termWidth)}${lines[0] ?? ""}`]
      return [...first, ...lines.slice(1).map((l) => `  ${" ".repeat(termWidth)}${l}`)]
    })
    .map((line) => line.trimEnd())
    .join("\n")
}

const optionRows = (options: Options) =>
  Object.entries(options)
    .filter(([, o]) => o.hidden !== true)
    .map(([key, o]) => {
      const name = `${o.short !== undefined ? `-${o.short}, ` : "    "}${flagName(key)}${o.kind === "flag" ? "" : ` ${o.placeholder ?? "TEXT"}`}`
      const extra = [o.default !== undefined ? `(default: ${o.default})` : "", o.example !== undefined ? `e.g. ${o.example}` : ""].filter((s) => s !== "")
      return [name, [o.description, ...extra].join(" ")] as const
    })

const usageLine = (path: ReadonlyArray<string>, c: CommandSpec) => {
  const args = c.args.map((a) => (a.variadic === true ? `${a.name}...` : a.optional === true ? `[${a.name}]` : a.name))
  return `agentmap ${[...path, ...args].join(" ")} [options]`
}

const section = (title: string, body: string) => `${title}:\n${body}`

const commandHelp = (c: CommandSpec, path: ReadonlyArray<string>, width: number) =>
  [
    c.summary,
    `Usage: ${usageLine(path, c)}`,
    ...(c.details ?? []).map((d) => wrap(d, width).join("\n")),
    ...(c.args.length > 0 ? [section("Arguments", definitions(c.args.map((a) => [a.name, a.description] as const), width))] : []),
    ...(optionRows(c.options).length > 0 ? [section("Options", definitions(optionRows(c.options), width))] : []),
    section("Global options", definitions(optionRows(GLOBAL_OPTIONS), width)),
    ...(c.examples !== undefined && c.examples.length > 0 ? [section("Examples", c.examples.map((e) => `  ${e}`).join("\n"))] : []),
    ...(c.exitCodes !== undefined ? [wrap(`Exit codes: ${c.exitCodes}`, width).join("\n")] : [])
  ].join("\n\n")

const groupHelp = (g: GroupSpec, path: ReadonlyArray<string>, width: number) =>
  [
    g.summary,
    `Usage: agentmap ${[...path, "COMMAND"].join(" ")} [options]`,
    section("Commands", definitions(g.commands.map((c) => [c.name, c.summary] as const), width)),
    section("Global options", definitions(optionRows(path.length === 0 ? { ...GLOBAL_OPTIONS, version: VERSION } : GLOBAL_OPTIONS), width)),
    ...(g.examples !== undefined && g.examples.length > 0 ? [section("Examples", g.examples.map((e) => `  ${e}`).join("\n"))] : []),
    `Run 'agentmap ${[...path, "COMMAND"].join(" ")} --help' for a command's options.`
  ].join("\n\n")

const VERSION = { kind: "flag", description: "print the version and exit", decode: () => ({ ok: true as const, value: true }) } as const

/** The help text of a command or a group of commands, ending with a newline. */
export const helpText = (target: AnyCommand, path: ReadonlyArray<string>): string =>
  `${target._tag === "Command" ? commandHelp(target, path, terminalWidth()) : groupHelp(target, path, terminalWidth())}\n`
