/** What the README shows, as steps a test can run: commands, their documented output, CSVs. */
export type Step =
  | { readonly _tag: "Command"; readonly line: number; readonly command: string; readonly expected?: Expectation }
  | { readonly _tag: "Csv"; readonly line: number; readonly text: string }

/** What the README says a command prints: console output lines, or a `# → …` note after a command. */
export type Expectation = { readonly _tag: "Lines"; readonly lines: ReadonlyArray<string> } | { readonly _tag: "Note"; readonly text: string }

/** Splits `cmd   # comment` at the first ` #` outside quotes. */
const splitComment = (line: string): [string, string | undefined] => {
  let quote: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote !== undefined) {
      if (c === quote) quote = undefined
    } else if (c === "'" || c === '"') quote = c
    else if (c === "#" && (i === 0 || line[i - 1] === " ")) return [line.slice(0, i).trim(), line.slice(i + 1).trim()]
  }
  return [line.trim(), undefined]
}

/** Every step of the README in document order: fenced bash/console/csv blocks and the `try` commands of tables. */
export const readmeSteps = (text: string): Array<Step> => {
  const lines = text.split("\n")
  const steps: Array<Step> = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w+)\s*$/.exec(lines[i]!)
    if (fence === null) {
      // a table cell holding a command to try
      for (const m of lines[i]!.matchAll(/\| `(npx agentmap [^`]+)` \|\s*$/g)) steps.push({ _tag: "Command", line: i + 1, command: m[1]! })
      continue
    }
    const start = i + 1
    const body: Array<string> = []
    for (i = start; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i]!)
    const lang = fence[1]
    if (lang === "csv") steps.push({ _tag: "Csv", line: start + 1, text: `${body.join("\n")}\n` })
    if (lang === "bash" || lang === "sh")
      body.forEach((raw, k) => {
        const [command, comment] = splitComment(raw)
        if (command === "") return
        const note = comment?.startsWith("→") === true ? comment.slice(1).trim() : undefined
        steps.push({ _tag: "Command", line: start + k + 1, command, ...(note !== undefined ? { expected: { _tag: "Note", text: note } } : {}) })
      })
    if (lang === "console")
      body.forEach((raw, k) => {
        if (!raw.startsWith("$ ")) return
        const output: Array<string> = []
        for (let j = k + 1; j < body.length && !body[j]!.startsWith("$ "); j++) output.push(body[j]!)
        steps.push({ _tag: "Command", line: start + k + 1, command: raw.slice(2), expected: { _tag: "Lines", lines: output } })
      })
  }
  return steps
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
const normalize = (line: string) => line.replace(/─+/g, "─").replace(/\s+/g, " ").trim()

/** A documented output line as a pattern: `3f0c…` is any thread id, `(38.1 ms)` any duration, `…` anything. */
const linePattern = (line: string) =>
  new RegExp(
    `^${escape(normalize(line))
      .replace(/[0-9a-f]{4}…/g, "[0-9a-f-]{36}")
      .replace(/\\\(\d+(?:\\\.\d+)? (?:ms|s)\\\)/g, "\\(\\d+(?:\\.\\d+)? (?:ms|s)\\)")
      .replace(/…/g, ".*")}$`
  )

/**
 * The documented lines that the output lacks: each must match a line of the output, in order
 * (lines of `…` alone stand for lines left out; blank lines are ignored).
 */
export const missingLines = (documented: ReadonlyArray<string>, output: string): Array<string> => {
  const actual = output.split("\n").map(normalize)
  const missing: Array<string> = []
  let at = 0
  for (const line of documented.filter((l) => l.trim() !== "" && l.trim() !== "…")) {
    const pattern = linePattern(line)
    const found = actual.findIndex((a, index) => index >= at && pattern.test(a))
    if (found === -1) missing.push(line)
    else at = found + 1
  }
  return missing
}

/** A `# → "status": "suspended", "thread_id": "…"` note as a pattern over the command's (JSON or SSE) output. */
export const notePattern = (note: string) =>
  new RegExp(
    escape(note)
      .replace(/\s*:\s*/g, "\\s*:\\s*")
      .replace(/,\s*/g, ".*")
      .replace(/…/g, '[^"]*')
  )
