/** The width to wrap text for people at: the terminal's, within 60..110 columns (100 when piped). */
export const terminalWidth = () => Math.max(60, Math.min(process.stdout.columns ?? 100, 110))

/** Breaks `text` into lines of at most `width` characters at spaces (a word longer than the line stays whole). */
export const wrap = (text: string, width: number): Array<string> => {
  const lines: Array<string> = []
  for (const paragraph of text.split("\n")) {
    let line = ""
    for (const word of paragraph.split(" ")) {
      if (line !== "" && line.length + 1 + word.length > width) {
        lines.push(line)
        line = word
      } else line = line === "" ? word : `${line} ${word}`
    }
    lines.push(line)
  }
  return lines
}

/** At most `max` characters, cut at a space where there is one near the end (never mid-word), then an ellipsis. */
export const shorten = (text: string, max: number): string => {
  if (text.length <= max) return text
  const cut = text.lastIndexOf(" ", max - 1)
  return `${text.slice(0, cut > max / 2 ? cut : max - 1)}…`
}
