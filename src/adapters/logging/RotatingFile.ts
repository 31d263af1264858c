import * as fs from "node:fs"

/**
 * Appends lines to a file synchronously and rotates it by size: before a line would take the
 * file past `maxBytes`, `file` becomes `file.1` (`file.1` → `file.2` … up to `keep`, the oldest
 * dropped) and a new `file` is started. Written by hand rather than with rotating-file-stream:
 * that library writes through an asynchronous stream, so a CLI command's last lines (and every
 * line of a process that crashes) could be lost; a synchronous append loses none, and a line is
 * never split across two files. Each append opens the file by name (O_APPEND), so several
 * `serve` workers can share one file: a line lands in whatever file the name points to.
 */
export const rotatingFile = (file: string, maxBytes: number, keep: number) => {
  const rotate = () => {
    if (keep === 0) fs.rmSync(file, { force: true })
    else {
      fs.rmSync(`${file}.${keep}`, { force: true })
      for (let n = keep - 1; n >= 1; n--) if (fs.existsSync(`${file}.${n}`)) fs.renameSync(`${file}.${n}`, `${file}.${n + 1}`)
      if (fs.existsSync(file)) fs.renameSync(file, `${file}.1`)
    }
  }
  return (line: string): void => {
    // the file's real size, not a count of our own writes: other loggers and workers append to it too
    const size = sizeOf(file)
    if (size > 0 && size + Buffer.byteLength(line) + 1 > maxBytes) rotate()
    fs.appendFileSync(file, `${line}\n`)
  }
}

const sizeOf = (file: string): number => {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}
