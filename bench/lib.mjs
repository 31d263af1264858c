// Shared helpers for the benchmark scripts: fresh-process timing, medians, CSV fixtures.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

export const ROOT = path.resolve(import.meta.dirname, "..")
export const AGENTMAP = path.join(ROOT, "bin", "agentmap.cjs")

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Wall time (ms) and peak RSS (KiB, from /usr/bin/time when present) of one fresh process. */
export const timeProcess = (args, cwd = ROOT) => {
  const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined
  const started = process.hrtime.bigint()
  const r = timeBin
    ? spawnSync(timeBin, ["-f", "%M", process.execPath, ...args], { cwd, encoding: "utf8" })
    : spawnSync(process.execPath, args, { cwd, encoding: "utf8" })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`)
  const rss = timeBin ? Number(r.stderr.trim().split("\n").pop()) : NaN
  return { ms, rss, stdout: r.stdout }
}

/**
 * Runs each command `runs` times, interleaved (a, b, a, b, ...) after one warm-up each. A command's
 * optional `before()` runs untimed before each of its samples (e.g. to empty a cache).
 */
export const interleaved = (commands, runs) => {
  const samples = commands.map(() => ({ ms: [], rss: [] }))
  commands.forEach((c) => {
    c.before?.()
    timeProcess(c.args, c.cwd)
  })
  for (let i = 0; i < runs; i++)
    commands.forEach((c, j) => {
      c.before?.()
      const t = timeProcess(c.args, c.cwd)
      samples[j].ms.push(t.ms)
      samples[j].rss.push(t.rss)
    })
  return samples.map((s) => ({ ms: median(s.ms), min: Math.min(...s.ms), max: Math.max(...s.ms), rss: Math.max(...s.rss) }))
}

export const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "agentmap-bench-"))

/** chain-N.csv: N echo nodes, node i copies v<i> into v<i+1>. */
export const chainCsv = (dir, n) => {
  const rows = ["GraphName,Node,AgentType,Input_Fields,Output_Field,Edge"]
  for (let i = 0; i < n; i++) rows.push(`Chain,N${i},echo,v${i},v${i + 1},${i < n - 1 ? `N${i + 1}` : ""}`)
  const file = path.join(dir, `chain-${n}.csv`)
  fs.writeFileSync(file, `${rows.join("\n")}\n`)
  return file
}

export const fmt = (ms) => `${ms.toFixed(0)} ms`
